package org.mailroom.mailbox.imap.net;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.mailroom.mailbox.auth.Authenticator;
import org.mailroom.mailbox.config.Loopback;
import org.mailroom.mailbox.config.MailboxConfig;
import org.mailroom.mailbox.imap.session.ImapSession;
import org.mailroom.mailbox.store.MailboxEvents;
import org.mailroom.mailbox.store.Mailboxes;
import org.mailroom.mailbox.store.Messages;

/**
 * The IMAP listeners: {@code mailbox.imap.port} in clear with STARTTLS (RFC 3501 §6.2.1) and
 * {@code mailbox.imap.tls-port} with implicit TLS (RFC 8314 §3.3). Without a certificate only the
 * first runs, without STARTTLS. TLS 1.2 and 1.3 only.
 */
@ApplicationScoped
public class ImapServer {

    private static final Logger LOG = Logger.getLogger(ImapServer.class);
    static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

    private final Vertx vertx;
    private final MailboxConfig config;
    private final Mailboxes mailboxes;
    private final Messages messages;
    private final Authenticator authenticator;
    private final MailboxEvents events;
    private final ImapMetrics metrics;
    private final List<NetServer> servers = new ArrayList<>();
    private volatile int port = -1;
    private volatile int tlsPort = -1;

    public ImapServer(Vertx vertx, MailboxConfig config, Mailboxes mailboxes, Messages messages,
            Authenticator authenticator, MailboxEvents events, ImapMetrics metrics) {
        this.vertx = vertx;
        this.config = config;
        this.mailboxes = mailboxes;
        this.messages = messages;
        this.authenticator = authenticator;
        this.events = events;
        this.metrics = metrics;
    }

    void start(@Observes StartupEvent event) throws Exception {
        MailboxConfig.Imap imap = config.imap();
        if (!imap.enabled()) {
            return;
        }
        if (imap.idleTimeout().compareTo(java.time.Duration.ofMinutes(30)) < 0
                && io.quarkus.runtime.LaunchMode.current() != io.quarkus.runtime.LaunchMode.TEST) { // tests of autologout
            throw new IllegalStateException("mailbox.imap.idle-timeout is %s: the autologout timer must be at least 30 minutes (RFC 3501 §5.4)"
                    .formatted(imap.idleTimeout()));
        }
        boolean tls = config.tls().cert().isPresent() && config.tls().key().isPresent();
        if (!tls) {
            LOG.warn("no TLS certificate (mailbox.tls.cert/key): IMAP without STARTTLS, no implicit-TLS listener");
        }
        port = listen(options(imap.port(), tls, false), tls, false);
        if (tls) {
            tlsPort = listen(options(imap.tlsPort(), true, true), true, true);
        }
        LOG.infof("IMAP listening on %s:%d%s", imap.host(), port, tls ? " (STARTTLS) and " + tlsPort + " (TLS)" : "");
    }

    void stop(@Observes ShutdownEvent event) {
        for (NetServer s : servers) {
            s.close();
        }
    }

    /** The bound port of the STARTTLS listener (the real one when configured as 0); -1 when off. */
    public int port() {
        return port;
    }

    /** The bound port of the implicit-TLS listener; -1 when off. */
    public int tlsPort() {
        return tlsPort;
    }

    private NetServerOptions options(int listenPort, boolean withKeys, boolean implicit) {
        NetServerOptions o = new NetServerOptions()
                .setHost(config.imap().host())
                .setPort(listenPort)
                .setTcpNoDelay(true)
                // a backstop for a client that stops reading too: the session's own autologout
                // (ImapConnection, with * BYE) comes first
                .setIdleTimeout((int) config.imap().idleTimeout().plusMinutes(2).toSeconds())
                .setIdleTimeoutUnit(TimeUnit.SECONDS);
        if (withKeys) {
            o.setKeyCertOptions(new PemKeyCertOptions()
                    .setCertPath(config.tls().cert().get().toString())
                    .setKeyPath(config.tls().key().get().toString()));
            o.setEnabledSecureTransportProtocols(PROTOCOLS);
            o.setSsl(implicit);
        }
        return o;
    }

    private int listen(NetServerOptions options, boolean tlsAvailable, boolean implicit) throws Exception {
        ImapSession.Settings settings = new ImapSession.Settings(config.hostname(), tlsAvailable,
                config.imap().allowPlaintextAuth());
        String listener = implicit ? "imaps" : "imap";
        NetServer server = vertx.createNetServer(options).connectHandler(socket -> accept(socket, settings, implicit, listener));
        servers.add(server);
        return server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).actualPort();
    }

    private void accept(NetSocket socket, ImapSession.Settings listenerSettings, boolean implicit, String listener) {
        ImapSession.Settings settings = listenerSettings;
        String ip = socket.remoteAddress() == null ? "unknown" : socket.remoteAddress().hostAddress();
        if (settings.allowPlaintextAuth() && !Loopback.is(ip)) {
            settings = new ImapSession.Settings(settings.hostname(), settings.tlsAvailable(), false);
        }
        MailboxConfig.Imap imap = config.imap();
        new ImapConnection(socket, vertx.getOrCreateContext(), settings, mailboxes, messages, authenticator, events,
                metrics, listener, ip, implicit, imap.maxLineLength(), imap.maxLiteralSize(), imap.maxCommandSize(),
                imap.idleTimeout()).start();
    }
}
