package org.mailroom.mailbox.pop3.net;

import io.netty.buffer.Unpooled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.ArrayDeque;
import java.util.Deque;
import org.jboss.logging.Logger;
import org.mailroom.mailbox.pop3.protocol.LineFramer;
import org.mailroom.mailbox.pop3.protocol.Pop3Reply;
import org.mailroom.mailbox.pop3.protocol.ResponseCode;
import org.mailroom.mailbox.pop3.session.Pop3Session;

/**
 * Carries one POP3 session over one socket: frames lines, feeds them to the session one at a
 * time (pipelined commands wait their turn; reading pauses when too many queue up or the client
 * does not read its replies), writes every
 * reply in one place, and carries out STLS and the close. All state is touched on the socket's
 * context only.
 */
final class Pop3Connection {

    private static final Logger LOG = Logger.getLogger(Pop3Connection.class);
    private static final int MAX_PENDING = 64;

    private final NetSocket socket;
    private final Context context;
    private final Pop3Session session;
    private final LineFramer framer;
    private final Pop3Metrics metrics;
    private final String listener;
    private final Deque<LineFramer.Frame> pending = new ArrayDeque<>();
    private boolean busy;
    private boolean closing;
    /** Between the STLS reply and the end of the handshake: clear text read now is dropped. */
    private boolean tlsStarting;

    Pop3Connection(NetSocket socket, Context context, Pop3Session session, int maxLine, Pop3Metrics metrics,
            String listener) {
        this.socket = socket;
        this.context = context;
        this.session = session;
        this.framer = new LineFramer(maxLine);
        this.metrics = metrics;
        this.listener = listener;
    }

    void start() {
        metrics.opened(listener);
        socket.handler(this::onData);
        socket.exceptionHandler(e -> LOG.debugf("pop3 %s: %s", socket.remoteAddress(), e.toString()));
        socket.closeHandler(v -> {
            session.closed();
            metrics.closed();
        });
        socket.write(Buffer.buffer(session.greeting().encode()));
    }

    private void onData(Buffer data) {
        if (closing || tlsStarting) { // RFC 2595 §4 / CVE-2011-0411: no command injected before TLS
            return;
        }
        pending.addAll(framer.feed(data.getBytes()));
        if (pending.size() > MAX_PENDING) {
            socket.pause();
        }
        drain();
    }

    private void drain() {
        while (!busy && !closing && !pending.isEmpty()) {
            if (socket.writeQueueFull()) { // pipelined RETRs from a client that does not read: wait for it
                socket.pause();
                socket.drainHandler(v -> {
                    socket.drainHandler(null);
                    drain();
                });
                return;
            }
            LineFramer.Frame frame = pending.poll();
            if (frame instanceof LineFramer.TooLong) {
                write(session.lineTooLong());
                continue;
            }
            busy = true;
            Uni<Pop3Session.Result> result;
            try {
                result = session.handle(((LineFramer.Line) frame).text());
            } catch (RuntimeException e) {
                result = Uni.createFrom().failure(e);
            }
            result.subscribe().with(
                    r -> context.runOnContext(v -> onResult(r)),
                    e -> context.runOnContext(v -> onFailure(e)));
        }
        if (pending.size() <= MAX_PENDING / 2) {
            socket.resume();
        }
    }

    private void onResult(Pop3Session.Result result) {
        busy = false;
        switch (result.action()) {
            case CLOSE -> {
                closing = true;
                write(result).onComplete(ar -> socket.close());
            }
            case START_TLS -> {
                pending.clear(); // RFC 2595 §4: nothing sent before the handshake is taken after it
                framer.reset();
                busy = true;
                tlsStarting = true;
                write(result).onComplete(ar -> socket.upgradeToSsl(up -> {
                    busy = false;
                    tlsStarting = false;
                    if (up.succeeded()) {
                        session.tlsStarted();
                        drain();
                    } else {
                        LOG.debugf("pop3 %s: STLS handshake failed: %s", socket.remoteAddress(), up.cause());
                        socket.close();
                    }
                }));
            }
            default -> {
                write(result);
                drain();
            }
        }
    }

    /** A server fault, not a client error: answered [SYS/TEMP], logged with its stack. */
    private void onFailure(Throwable e) {
        busy = false;
        if (e instanceof org.mailroom.mailbox.auth.Authenticator.DirectoryNotReady) {
            LOG.warnf("pop3 %s: %s", socket.remoteAddress(), e.getMessage());
        } else {
            LOG.errorf(e, "pop3 %s: command failed", socket.remoteAddress());
        }
        write(new Pop3Session.Result("OTHER", Pop3Reply.err(ResponseCode.SYS_TEMP, "temporary server failure"),
                Pop3Session.Action.NONE));
        drain();
    }

    /** The one place that writes a reply, and counts it. */
    private io.vertx.core.Future<Void> write(Pop3Session.Result result) {
        metrics.command(result.verb(), result.reply().ok());
        if (LOG.isDebugEnabled()) {
            LOG.debugf("pop3 %s %s -> %s", socket.remoteAddress(), result.verb(), result.reply().kind());
        }
        io.vertx.core.Future<Void> written;
        try {
            Pop3Reply reply = result.reply();
            // the body (a whole message for RETR) goes out as it is, not copied after the status line
            written = socket.write(reply.body() == null ? Buffer.buffer(reply.head())
                    : Buffer.buffer(Unpooled.wrappedBuffer(reply.head(), reply.body())));
        } catch (RuntimeException | Error e) {
            result.written().run();
            throw e;
        }
        return written.onComplete(ar -> result.written().run()); // flushed, or failed with the connection
    }
}
