package org.mailroom.mailbox.auth;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.mailroom.core.auth.PasswordHash;
import org.mailroom.core.event.DirectoryEntry;
import org.mailroom.mailbox.config.MailboxConfig;
import org.mailroom.mailbox.directory.Directory;

/**
 * Logins of IMAP and POP3 against the directory read model, with the same hashes SMTP AUTH uses
 * ({@link PasswordHash}). Hashing (Argon2id, tens of milliseconds) runs on a worker thread; a
 * failure is answered after the {@link LoginThrottle} delay.
 */
@ApplicationScoped
public class Authenticator {

    private static final Logger LOG = Logger.getLogger(Authenticator.class);

    private final Directory directory;
    private final LoginThrottle throttle;
    private final MeterRegistry registry;
    private volatile String dummyHash;

    public Authenticator(Directory directory, MailboxConfig config, MeterRegistry registry) {
        this.directory = directory;
        this.registry = registry;
        this.throttle = new LoginThrottle(config.auth().failureDelay(), config.auth().maxFailureDelay(),
                config.auth().failureWindow(), System::nanoTime);
    }

    /** The canonical account address, or empty (after the delay) when the login fails. */
    public Uni<Optional<String>> authenticate(String protocol, String login, String password, String clientIp) {
        if (!directory.caughtUp()) { // after a start: the account may just not be read yet
            return Uni.createFrom().failure(new DirectoryNotReady());
        }
        Optional<DirectoryEntry.Account> account = directory.account(login);
        return Uni.createFrom().item(() -> {
                    if (account.isEmpty()) {
                        // Hash anyway: an unknown user must cost as much as a wrong password, or the
                        // answer's timing tells which accounts exist.
                        PasswordHash.verify(dummyHash(), password);
                        return Optional.<String>empty();
                    }
                    return account.filter(DirectoryEntry.Account::enabled)
                            .filter(a -> PasswordHash.verify(a.passwordHash(), password)).map(DirectoryEntry.Account::address);
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(result -> {
                    if (result.isPresent()) {
                        throttle.succeeded(result.get());
                        return Uni.createFrom().item(result);
                    }
                    Duration delay = throttle.failed(clientIp, login);
                    registry.counter("mailbox_auth_failures_total", "protocol", protocol).increment();
                    LOG.infof("%s login failed for %s from %s; answering in %d ms", protocol, login, clientIp, delay.toMillis());
                    Uni<Optional<String>> failed = Uni.createFrom().item(Optional.empty());
                    return delay.isZero() ? failed : failed.onItem().delayIt().by(delay);
                });
    }

    /**
     * The directory read model has not read mail.directory to its end yet: a login can be neither
     * accepted nor refused, so it is answered as a temporary failure (POP3 {@code -ERR [SYS/TEMP]},
     * RFC 3206; IMAP {@code NO [UNAVAILABLE]}, RFC 5530), never as a wrong password.
     */
    public static final class DirectoryNotReady extends RuntimeException {
        public DirectoryNotReady() {
            super("the directory read model is still catching up", null, false, false);
        }
    }

    private String dummyHash() {
        String h = dummyHash;
        if (h == null) {
            h = PasswordHash.hash(java.util.UUID.randomUUID().toString());
            dummyHash = h;
        }
        return h;
    }
}
