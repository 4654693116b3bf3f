package org.mailroom.ingress.net;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import javax.net.ssl.SSLSession;
import org.jboss.logging.Logger;
import org.mailroom.core.QueueId;
import org.mailroom.core.auth.PasswordHash;
import org.mailroom.core.event.Envelope;
import org.mailroom.core.smtp.Replies;
import org.mailroom.core.smtp.Reply;
import org.mailroom.ingress.protocol.InputFramer;
import org.mailroom.ingress.publish.InboundPublisher;
import org.mailroom.ingress.relay.DirectoryView;
import org.mailroom.ingress.session.Effect;
import org.mailroom.ingress.session.Listener;
import org.mailroom.ingress.session.Outcome;
import org.mailroom.ingress.session.SessionSettings;
import org.mailroom.ingress.session.SmtpSession;

/**
 * Carries one SMTP session over one socket: feeds the framer, hands frames to the session, writes
 * replies (batched per read, so pipelined replies leave together), and carries out effects. While
 * an effect is pending (TLS handshake, password check, publish) input is paused and not framed.
 */
final class SmtpConnection {

    private static final Logger LOG = Logger.getLogger(SmtpConnection.class);
    /** Verified when the account is unknown, so a failure takes as long as for a known one. */
    private static final String DECOY_HASH = PasswordHash.hash("decoy-password-never-matches");

    private final Vertx vertx;
    private final io.vertx.core.Context context;
    private final NetSocket socket;
    private final Listener listener;
    private final SmtpServer server;
    private final SessionSettings settings;
    private final boolean proxy;
    private SmtpSession session;
    private final InputFramer framer;
    private byte[] proxyBuffer = new byte[0];
    private final DirectoryView directory;
    private final InboundPublisher publisher;
    private final SmtpMetrics metrics;
    private String client;
    private java.net.InetAddress clientIp;

    private final StringBuilder out = new StringBuilder();
    private boolean busy;
    private boolean closed;
    private boolean closing;
    private long timer = -1;
    private String lastVerb = "CONNECT";

    SmtpConnection(Vertx vertx, NetSocket socket, Listener listener, SmtpServer server, SessionSettings settings,
            DirectoryView directory, InboundPublisher publisher, SmtpMetrics metrics, java.net.InetAddress clientIp,
            boolean proxy) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.socket = socket;
        this.listener = listener;
        this.server = server;
        this.directory = directory;
        this.publisher = publisher;
        this.metrics = metrics;
        this.settings = settings;
        this.proxy = proxy;
        this.clientIp = clientIp;
        this.client = clientIp == null ? "?" : clientIp.getHostAddress();
        this.framer = new InputFramer(server.config().maxLineLength(), settings.maxMessageSize(), server.budget());
    }

    String clientAddress() {
        return client;
    }

    void start() {
        socket.handler(this::onBytes);
        socket.closeHandler(v -> onClosed());
        socket.exceptionHandler(e -> LOG.debugf("client %s: %s", client, e.toString()));
        if (!proxy) {
            begin();
        } else {
            armTimer();
        }
    }

    /** The session starts: after the PROXY header, and after the TLS handshake on submissions. */
    private void begin() {
        session = new SmtpSession(settings, directory, clientIp, socket.isSsl() ? tlsOf(socket.sslSession()) : null,
                Clock.systemUTC(), QueueId::next, server.budget()::hasRoomFor);
        if (listener.implicitTls()) {
            metrics.tlsHandshake(listener.id(), true);
        }
        send("CONNECT", session.greeting());
        flush();
        armTimer();
    }

    private void onBytes(Buffer buffer) {
        metrics.bytes(listener.id(), buffer.length());
        if (session == null) {
            onProxyBytes(buffer.getBytes());
            return;
        }
        framer.feed(buffer.getBytes());
        armTimer();
        pump();
    }

    /** PROXY protocol v1/v2: the balancer's header names the real client (relay rules and limits use it). */
    private void onProxyBytes(byte[] bytes) {
        byte[] joined = java.util.Arrays.copyOf(proxyBuffer, proxyBuffer.length + bytes.length);
        System.arraycopy(bytes, 0, joined, proxyBuffer.length, bytes.length);
        proxyBuffer = joined;
        org.mailroom.ingress.protocol.ProxyHeader.Result r =
                org.mailroom.ingress.protocol.ProxyHeader.parse(proxyBuffer, proxyBuffer.length);
        if (r instanceof org.mailroom.ingress.protocol.ProxyHeader.NeedMore) {
            if (proxyBuffer.length > 1024) {
                socket.close();
            }
            return;
        }
        if (r instanceof org.mailroom.ingress.protocol.ProxyHeader.Invalid invalid) {
            LOG.warnf("peer %s: %s; closing", client, invalid.reason());
            closed = true;
            socket.close();
            return;
        }
        org.mailroom.ingress.protocol.ProxyHeader.Parsed parsed = (org.mailroom.ingress.protocol.ProxyHeader.Parsed) r;
        if (parsed.source() != null) {
            String peer = client;
            clientIp = parsed.source();
            client = clientIp.getHostAddress();
            if (!server.readmit(this, peer, client)) {
                closed = true;
                socket.write("421 4.7.0 too many connections from your address\r\n").onComplete(v -> socket.close());
                return;
            }
        }
        byte[] rest = java.util.Arrays.copyOfRange(proxyBuffer, parsed.length(), proxyBuffer.length);
        proxyBuffer = null;
        if (listener.implicitTls()) {
            // The header precedes the TLS handshake; the client's first TLS octets cannot be in "rest"
            // before we answer, since a TLS client waits for nothing but the server hello.
            socket.pause();
            socket.upgradeToSsl(ar -> {
                if (ar.failed()) {
                    metrics.tlsHandshake(listener.id(), false);
                    socket.close();
                    return;
                }
                socket.resume();
                begin();
            });
            return;
        }
        begin();
        if (rest.length > 0) {
            framer.feed(rest);
            pump();
        }
    }

    /** Frames and handles input until more is needed or an effect must complete first. */
    private void pump() {
        try {
            InputFramer.Frame frame;
            while (!busy && !closed && (frame = framer.next()) != null) {
                handle(frame);
            }
        } catch (RuntimeException e) {
            // A server fault, never a client error (those are replies): answered once, transiently.
            LOG.errorf(e, "client %s queue id %s: server fault", client, session.queueId());
            send(lastVerb, Reply.of(451, "4.3.0", "local error (queue id " + session.queueId() + ")"));
            closeAfterFlush();
        }
        flush();
        if (closing && !busy && !closed && (session == null || !session.inTransaction())) {
            send("SHUTDOWN", Replies.SHUTTING_DOWN); // the transaction finished: now the 421
            closeAfterFlush();
        }
    }

    private void handle(InputFramer.Frame frame) {
        if (frame instanceof InputFramer.Line line) {
            lastVerb = verbOf(line.text());
            apply(session.onLine(line.text()));
        } else if (frame instanceof InputFramer.LineTooLong) {
            lastVerb = "?";
            apply(session.onLineTooLong());
        } else if (frame instanceof InputFramer.Body body) {
            Outcome outcome = body.chunk()
                    ? session.onChunk(body, framer::takeMessage)
                    : session.onData(body, framer.takeMessage());
            boolean published = outcome.effect() instanceof Effect.Publish;
            boolean moreChunks = outcome.effect() == Effect.NONE && session.inTransaction();
            if (!published && !moreChunks) {
                framer.releaseBody(); // refused or dropped: its memory goes back now
            }
            apply(outcome);
            armTimer();
        }
    }

    private void apply(Outcome outcome) {
        for (Reply r : outcome.replies()) {
            send(lastVerb, r);
        }
        Effect effect = outcome.effect();
        if (effect instanceof Effect.ReadData d) {
            framer.startData(d.declaredSize());
        } else if (effect instanceof Effect.ReadChunk c) {
            framer.startChunk(c.size(), c.first());
        } else if (effect instanceof Effect.StartTls) {
            startTls();
        } else if (effect instanceof Effect.Authenticate a) {
            authenticate(a);
        } else if (effect instanceof Effect.Publish p) {
            publish(p);
        } else if (effect instanceof Effect.Close) {
            closeAfterFlush();
        }
    }

    private void startTls() {
        if (framer.buffered() > 0) {
            // RFC 3207 §4.2 / CVE-2011-0411: plaintext pipelined behind STARTTLS is never executed.
            LOG.warnf("client %s pipelined %d octets behind STARTTLS: discarded", client, framer.buffered());
            framer.discardBuffered();
        }
        busy = true;
        flush();
        socket.pause();
        socket.upgradeToSsl(ar -> {
            busy = false;
            if (ar.failed()) {
                metrics.tlsHandshake(listener.id(), false);
                LOG.debugf("client %s: TLS handshake failed: %s", client, ar.cause());
                socket.close();
                return;
            }
            metrics.tlsHandshake(listener.id(), true);
            session.tlsStarted(tlsOf(socket.sslSession()));
            framer.discardBuffered();
            socket.resume();
            pump();
        });
    }

    private void authenticate(Effect.Authenticate a) {
        busy = true;
        socket.pause();
        String account = a.username().toLowerCase(java.util.Locale.ROOT);
        String hash = directory.passwordHash(account).orElse(null);
        vertx.<Boolean>executeBlocking(() -> PasswordHash.verify(hash == null ? DECOY_HASH : hash, a.password()) && hash != null, false)
                .onComplete(ar -> {
                    boolean ok = ar.succeeded() && Boolean.TRUE.equals(ar.result());
                    metrics.auth(listener.id(), ok);
                    if (!ok) {
                        LOG.infof("client %s: AUTH failed for %s", client, account);
                    }
                    busy = false;
                    apply(session.authenticated(ok ? account : null));
                    socket.resume();
                    pump();
                });
    }

    private void publish(Effect.Publish p) {
        busy = true;
        flush();
        socket.pause(); // back-pressure: nothing more is read while the broker has not answered
        long start = System.nanoTime();
        String queueId = p.message().envelope().queueId();
        publisher.publish(p.message()).subscribe().with(ok -> vertx.runOnContext(v -> {
            metrics.publishLatency().record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            metrics.message(listener.id(), "accepted");
            LOG.infof("queue id %s: accepted from %s, %d octets, %d recipients", queueId, client,
                    p.message().envelope().size(), p.message().envelope().recipients().size());
            afterPublish(session.published());
        }), failure -> vertx.runOnContext(v -> {
            metrics.message(listener.id(), "publish_failed");
            LOG.errorf("queue id %s: not acknowledged by the broker: %s", queueId, failure.toString());
            afterPublish(session.publishFailed());
        }));
    }

    private void afterPublish(Outcome outcome) {
        busy = false;
        framer.releaseBody();
        lastVerb = "DATA";
        apply(outcome);
        if (!closed) {
            socket.resume();
        }
        pump();
    }

    private void send(String verb, Reply reply) {
        metrics.reply(listener.id(), verb, reply);
        if (reply.code() >= 500 && !"?".equals(verb)) {
            LOG.debugf("client %s %s: %s", client, verb, reply);
        }
        out.append(reply.render());
    }

    private void flush() {
        if (out.length() > 0 && !closed) {
            socket.write(Buffer.buffer(out.toString().getBytes(StandardCharsets.UTF_8)));
            out.setLength(0);
        }
    }

    private void closeAfterFlush() {
        flush();
        if (!closed) {
            closed = true;
            socket.end();
        }
    }

    /** Runs {@link #shutdown} on this connection's event loop. */
    void shutdownFromAnyThread() {
        context.runOnContext(v -> shutdown());
    }

    /** Shutdown: idle sessions get 421 now; busy ones when their effect completes. */
    void shutdown() {
        if (session == null) {
            closed = true;
            socket.close();
            return;
        }
        closing = true;
        if (!busy && !session.inTransaction()) {
            send("SHUTDOWN", Replies.SHUTTING_DOWN);
            closeAfterFlush();
        }
    }

    boolean idle() {
        return session == null || (!busy && !session.inTransaction());
    }

    private void armTimer() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        long millis = (framer.mode() == InputFramer.Mode.LINE ? server.config().commandTimeout()
                : server.config().dataTimeout()).toMillis();
        timer = vertx.setTimer(millis, id -> {
            if (session == null) {
                socket.close(); // no PROXY header in time
            } else if (!closed && !busy) {
                send("TIMEOUT", Replies.TIMEOUT); // RFC 5321 §4.5.3.2: 421 before closing
                closeAfterFlush();
            }
        });
    }

    private void onClosed() {
        closed = true;
        framer.releaseBody();
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        server.closed(this);
    }

    /** The verbs metrics are labelled with; anything else is "?" (bounded label values). */
    private static final java.util.Set<String> VERBS = java.util.Set.of("HELO", "EHLO", "MAIL", "RCPT", "DATA",
            "BDAT", "RSET", "NOOP", "QUIT", "VRFY", "EXPN", "HELP", "STARTTLS", "AUTH");

    private static String verbOf(String line) {
        int sp = line.indexOf(' ');
        String verb = (sp < 0 ? line : line.substring(0, sp)).toUpperCase(java.util.Locale.ROOT);
        return VERBS.contains(verb) ? verb : "?";
    }

    static Envelope.Tls tlsOf(SSLSession ssl) {
        return ssl == null ? new Envelope.Tls("TLS", "unknown") : new Envelope.Tls(ssl.getProtocol(), ssl.getCipherSuite());
    }
}
