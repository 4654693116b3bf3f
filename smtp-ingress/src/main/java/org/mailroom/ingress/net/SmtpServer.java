package org.mailroom.ingress.net;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;
import org.mailroom.ingress.config.IngressConfig;
import org.mailroom.ingress.directory.DirectoryLoader;
import org.mailroom.ingress.publish.InboundPublisher;
import org.mailroom.ingress.session.Listener;
import org.mailroom.ingress.session.SessionSettings;

/**
 * The three SMTP listeners on Vert.x NetServers: MX, submission (STARTTLS) and submissions
 * (implicit TLS), with certificates from the Quarkus TLS registry (configuration {@code smtp}), TLS
 * 1.2 and 1.3 only. Enforces the connection limits and drains sessions on shutdown.
 */
@Singleton
public class SmtpServer {

    private static final Logger LOG = Logger.getLogger(SmtpServer.class);
    private static final Set<String> TLS_PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

    private final Vertx vertx;
    private final IngressConfig config;
    private final DirectoryLoader directory;
    private final InboundPublisher publisher;
    private final SmtpMetrics metrics;
    private final TlsConfigurationRegistry tlsRegistry;
    private final Map<Listener, NetServer> servers = new ConcurrentHashMap<>();
    /** Open connections and the client address each is counted under. */
    private final Map<SmtpConnection, String> connections = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> perIp = new ConcurrentHashMap<>();
    private volatile boolean stopping;
    private org.mailroom.ingress.protocol.MemoryBudget budget;

    public SmtpServer(Vertx vertx, IngressConfig config, DirectoryLoader directory, InboundPublisher publisher,
            SmtpMetrics metrics, TlsConfigurationRegistry tlsRegistry) {
        this.vertx = vertx;
        this.config = config;
        this.directory = directory;
        this.publisher = publisher;
        this.metrics = metrics;
        this.tlsRegistry = tlsRegistry;
    }

    IngressConfig config() {
        return config;
    }

    org.mailroom.ingress.protocol.MemoryBudget budget() {
        return budget;
    }

    /** The port a listener actually bound (tests configure port 0). */
    public int port(Listener listener) {
        NetServer s = servers.get(listener);
        return s == null ? -1 : s.actualPort();
    }

    void start(@Observes StartupEvent event) {
        budget = new org.mailroom.ingress.protocol.MemoryBudget(config.maxBufferedBytes());
        metrics.budget(budget);
        Optional<TlsConfiguration> tls = tlsRegistry.get("smtp");
        if (tls.isEmpty()) {
            LOG.warn("no TLS configuration \"smtp\": STARTTLS not offered and submissions (implicit TLS) not started");
        }
        listen(Listener.MX, config.mx(), tls);
        listen(Listener.SUBMISSION, config.submission(), tls);
        if (tls.isPresent()) {
            listen(Listener.SUBMISSIONS, config.submissions(), tls);
        }
    }

    private void listen(Listener listener, IngressConfig.ListenerConfig lc, Optional<TlsConfiguration> tls) {
        if (!lc.enabled()) {
            return;
        }
        NetServerOptions options = new NetServerOptions()
                .setHost(config.bindHost())
                .setPort(lc.port())
                .setTcpNoDelay(true)
                .setSsl(listener.implicitTls() && !lc.proxyProtocol()); // with PROXY, TLS starts after the header
        tls.ifPresent(t -> options.setKeyCertOptions(t.getKeyStoreOptions()).setEnabledSecureTransportProtocols(TLS_PROTOCOLS));
        SessionSettings settings = new SessionSettings(listener, config.hostname(), config.maxMessageSize(),
                config.maxRecipients(), config.maxErrors(), tls.isPresent(), config.authWithoutTls());
        NetServer server = vertx.createNetServer(options)
                .connectHandler(socket -> accept(listener, settings, socket, lc.proxyProtocol()));
        server.listen().toCompletionStage().toCompletableFuture().join();
        servers.put(listener, server);
        LOG.infof("SMTP %s listening on %s:%d%s", listener.id(), config.bindHost(), server.actualPort(),
                listener.implicitTls() ? " (implicit TLS)" : "");
    }

    private void accept(Listener listener, SessionSettings settings, NetSocket socket, boolean proxy) {
        String ip = socket.remoteAddress().hostAddress();
        metrics.connection(listener.id());
        if (stopping) {
            refuse(socket, listener, "shutting down", "421 4.3.2 service shutting down\r\n");
            return;
        }
        if (connections.size() >= config.maxConnections()) {
            refuse(socket, listener, "limit_total", "421 4.7.0 too many connections, try again later\r\n");
            return;
        }
        AtomicInteger count = perIp.computeIfAbsent(ip, k -> new AtomicInteger());
        // Behind PROXY the peer is the balancer: the per-client limit applies once the header named the client.
        if (count.incrementAndGet() > config.maxConnectionsPerIp() && !proxy) {
            count.decrementAndGet();
            refuse(socket, listener, "limit_per_ip", "421 4.7.0 too many connections from your address\r\n");
            return;
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(ip); // a literal: no DNS lookup
        } catch (UnknownHostException e) {
            address = null;
        }
        SmtpConnection connection = new SmtpConnection(vertx, socket, listener, this, settings, directory.model(),
                publisher, metrics, address, proxy);
        connections.put(connection, ip);
        metrics.open.incrementAndGet();
        connection.start();
    }

    private void refuse(NetSocket socket, Listener listener, String reason, String reply) {
        metrics.refusedConnection(listener.id(), reason);
        socket.write(reply).onComplete(v -> socket.close());
    }

    void closed(SmtpConnection connection) {
        String ip = connections.remove(connection);
        if (ip != null) {
            metrics.open.decrementAndGet();
            release(ip);
        }
    }

    private void release(String ip) {
        AtomicInteger count = perIp.get(ip);
        if (count != null && count.decrementAndGet() <= 0) {
            perIp.remove(ip, count);
        }
    }

    /** After a PROXY header: count the connection under the real client's address instead of the balancer's. */
    boolean readmit(SmtpConnection connection, String peer, String client) {
        AtomicInteger count = perIp.computeIfAbsent(client, k -> new AtomicInteger());
        if (count.incrementAndGet() > config.maxConnectionsPerIp()) {
            count.decrementAndGet();
            return false;
        }
        if (connections.replace(connection, client) != null) {
            release(peer);
        }
        return true;
    }

    /**
     * Stop accepting (new connections get 421 at once), 421 to idle sessions, let in-flight
     * transactions finish within the grace period, then close the listeners. Closing a Vert.x
     * NetServer closes its connections too, so that comes last.
     */
    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        LOG.infof("shutting down: %d SMTP sessions open", connections.size());
        connections.keySet().forEach(SmtpConnection::shutdownFromAnyThread);
        Instant deadline = Instant.now().plus(config.shutdownGrace());
        while (!connections.isEmpty() && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!connections.isEmpty()) {
            LOG.warnf("%d SMTP sessions still open after the grace period of %s; closing them", connections.size(),
                    config.shutdownGrace());
        }
        servers.values().forEach(s -> s.close().toCompletionStage().toCompletableFuture()
                .orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join());
    }
}
