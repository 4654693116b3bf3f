package org.mailroom.mailbox.pop3.net;

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
import org.mailroom.mailbox.config.Loopback;
import org.mailroom.mailbox.config.MailboxConfig;
import org.mailroom.mailbox.pop3.session.Pop3Session;

/**
 * The POP3 listeners: {@code mailbox.pop3.port} in clear with STLS (RFC 2595) and
 * {@code mailbox.pop3.tls-port} with implicit TLS (RFC 8314). Without a certificate only the first
 * runs, without STLS. TLS 1.2 and 1.3 only.
 */
@ApplicationScoped
public class Pop3Server {

    private static final Logger LOG = Logger.getLogger(Pop3Server.class);
    static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

    private final Vertx vertx;
    private final MailboxConfig config;
    private final StoreBackend backend;
    private final Pop3Metrics metrics;
    private final List<NetServer> servers = new ArrayList<>();
    private volatile int port = -1;
    private volatile int tlsPort = -1;

    public Pop3Server(Vertx vertx, MailboxConfig config, StoreBackend backend, Pop3Metrics metrics) {
        this.vertx = vertx;
        this.config = config;
        this.backend = backend;
        this.metrics = metrics;
    }

    void start(@Observes StartupEvent event) throws Exception {
        MailboxConfig.Pop3 pop3 = config.pop3();
        if (!pop3.enabled()) {
            return;
        }
        if (pop3.idleTimeout().compareTo(java.time.Duration.ofMinutes(10)) < 0) {
            throw new IllegalStateException("mailbox.pop3.idle-timeout is %s: the autologout timer must be at least 10 minutes (RFC 1939 §3)"
                    .formatted(pop3.idleTimeout()));
        }
        boolean tls = config.tls().cert().isPresent() && config.tls().key().isPresent();
        if (!tls) {
            LOG.warn("no TLS certificate (mailbox.tls.cert/key): POP3 without STLS, no implicit-TLS listener");
        }
        port = listen(options(pop3.port(), tls, false), tls, false);
        if (tls) {
            tlsPort = listen(options(pop3.tlsPort(), true, true), true, true);
        }
        LOG.infof("POP3 listening on %s:%d%s", pop3.host(), port, tls ? " (STLS) and " + tlsPort + " (TLS)" : "");
    }

    void stop(@Observes ShutdownEvent event) {
        for (NetServer s : servers) {
            s.close();
        }
    }

    /** The bound port of the STLS listener (the real one when configured as 0); -1 when off. */
    public int port() {
        return port;
    }

    /** The bound port of the implicit-TLS listener; -1 when off. */
    public int tlsPort() {
        return tlsPort;
    }

    private NetServerOptions options(int listenPort, boolean withKeys, boolean implicit) {
        NetServerOptions o = new NetServerOptions()
                .setHost(config.pop3().host())
                .setPort(listenPort)
                .setTcpNoDelay(true)
                .setIdleTimeout((int) config.pop3().idleTimeout().toSeconds())
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
        Pop3Session.Settings settings = new Pop3Session.Settings(config.hostname(), tlsAvailable,
                config.pop3().allowPlaintextAuth());
        String listener = implicit ? "pop3s" : "pop3";
        NetServer server = vertx.createNetServer(options).connectHandler(socket -> accept(socket, settings, implicit, listener));
        servers.add(server);
        return server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).actualPort();
    }

    private void accept(NetSocket socket, Pop3Session.Settings listenerSettings, boolean implicit, String listener) {
        Pop3Session.Settings settings = listenerSettings;
        String ip = socket.remoteAddress() == null ? "unknown" : socket.remoteAddress().hostAddress();
        if (settings.allowPlaintextAuth() && !Loopback.is(ip)) {
            settings = new Pop3Session.Settings(settings.hostname(), settings.tlsAvailable(), false);
        }
        Pop3Session session = new Pop3Session(backend, settings, ip, implicit);
        new Pop3Connection(socket, vertx.getOrCreateContext(), session, config.pop3().maxLineLength(), metrics, listener)
                .start();
    }
}
