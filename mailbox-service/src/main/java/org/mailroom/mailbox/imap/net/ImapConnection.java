package org.mailroom.mailbox.imap.net;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.ArrayDeque;
import java.util.Deque;
import org.jboss.logging.Logger;
import org.mailroom.mailbox.auth.Authenticator;
import org.mailroom.mailbox.imap.parse.FramerEvent;
import org.mailroom.mailbox.imap.parse.ImapCommand;
import org.mailroom.mailbox.imap.parse.ImapFramer;
import org.mailroom.mailbox.imap.parse.ImapParser;
import org.mailroom.mailbox.imap.parse.ParseError;
import org.mailroom.mailbox.imap.parse.ParseResult;
import org.mailroom.mailbox.imap.session.Action;
import org.mailroom.mailbox.imap.session.ImapOutput;
import org.mailroom.mailbox.imap.session.ImapSession;
import org.mailroom.mailbox.imap.session.SelectedMailbox;
import org.mailroom.mailbox.store.MailboxEvents;
import org.mailroom.mailbox.store.Mailboxes;
import org.mailroom.mailbox.store.Messages;

/**
 * Carries one IMAP session over one socket: frames commands (lines and literals, with the
 * continuation a synchronising literal asks for, RFC 3501 §7.5), runs them one at a time in order
 * (pipelined ones wait; reading pauses when too many queue up or the client does not read), passes
 * mailbox change notifications to the session between commands, and carries out STARTTLS and the
 * close. Everything runs on the socket's context.
 */
final class ImapConnection implements ImapOutput, ImapSession.Changes {

    private static final Logger LOG = Logger.getLogger(ImapConnection.class);
    private static final int MAX_PENDING = 32;
    /** A notification waiting its turn in the queue. */
    private static final Object CHANGED = new Object();

    private final NetSocket socket;
    private final Context context;
    private final ImapSession session;
    private final MailboxEvents events;
    private final ImapMetrics metrics;
    private final String listener;
    private final int maxLine;
    private final int maxLiteral;
    private final long maxCommand;
    private ImapFramer framer;
    /** The instance's body memory, from which literals are reserved (all connections together). */
    private final ImapFramer.LiteralMemory literalMemory;
    /** Literal octets held by the command being handled, released when it is done. */
    private long held;
    private final Deque<Object> pending = new ArrayDeque<>();
    private boolean busy;
    private boolean closing;
    private boolean tlsStarting;
    private boolean changeQueued;
    private Action mode = Action.NONE;
    private AutoCloseable watch;
    /** RFC 3501 §5.4 autologout: a client silent this long is told {@code * BYE} and disconnected. */
    private final long idleNanos;
    private long lastHeard = System.nanoTime();
    private long idleTimer = -1;

    /** A FETCH or SEARCH waiting for the client to take what was written ({@link #ready()}). */
    private io.smallrye.mutiny.subscription.UniEmitter<? super Void> drainWaiter;

    ImapConnection(NetSocket socket, Context context, ImapSession.Settings settings, Mailboxes mailboxes,
            Messages messages, Authenticator authenticator, MailboxEvents events, ImapMetrics metrics, String listener,
            String ip, boolean implicitTls, int maxLine, int maxLiteral, long maxCommand, java.time.Duration idleTimeout) {
        this.socket = socket;
        this.idleNanos = idleTimeout.toNanos();
        this.context = context;
        this.events = events;
        this.metrics = metrics;
        this.listener = listener;
        this.maxLine = maxLine;
        this.maxLiteral = maxLiteral;
        this.maxCommand = maxCommand;
        org.mailroom.mailbox.store.BodyMemory memory = messages.bodyMemory();
        this.literalMemory = new ImapFramer.LiteralMemory() {
            @Override
            public boolean tryReserve(long octets) {
                return memory.tryReserve(octets);
            }

            @Override
            public void release(long octets) {
                memory.release(octets);
            }
        };
        this.framer = new ImapFramer(maxLine, maxLiteral, maxCommand, literalMemory);
        this.session = new ImapSession(settings, mailboxes, messages, authenticator, ip, implicitTls, this, this);
    }

    void start() {
        metrics.opened(listener);
        long every = Math.max(1, Math.min(60_000, idleNanos / 4_000_000));
        idleTimer = context.owner().setPeriodic(every, id -> checkIdle());
        socket.handler(this::onData);
        socket.exceptionHandler(e -> LOG.debugf("imap %s: %s", socket.remoteAddress(), e.toString()));
        socket.closeHandler(v -> {
            closing = true;
            context.owner().cancelTimer(idleTimer);
            framer.close();
            releasePending();
            io.smallrye.mutiny.subscription.UniEmitter<? super Void> waiting = drainWaiter;
            if (waiting != null) { // a closed socket never drains: what waits for it (and its memory) is let go
                drainWaiter = null;
                waiting.fail(new java.nio.channels.ClosedChannelException());
            }
            session.closed();
            metrics.closed();
        });
        session.greet();
    }

    // ---- ImapOutput --------------------------------------------------------------------------------

    @Override
    public void write(Buffer octets) {
        if (!closing || mode == Action.CLOSE) {
            socket.write(octets);
        }
    }

    @Override
    public Uni<Void> ready() {
        if (!socket.writeQueueFull()) {
            return Uni.createFrom().voidItem();
        }
        if (closing) {
            return Uni.createFrom().failure(new java.nio.channels.ClosedChannelException());
        }
        return Uni.createFrom().emitter(e -> {
            drainWaiter = e;
            socket.drainHandler(v -> {
                socket.drainHandler(null);
                drainWaiter = null;
                e.complete(null);
            });
        });
    }

    // ---- ImapSession.Changes -----------------------------------------------------------------------

    @Override
    public void watch(SelectedMailbox mailbox) {
        if (watch != null) {
            try {
                watch.close();
            } catch (Exception ignored) {
                // removing a map entry does not fail
            }
            watch = null;
        }
        if (mailbox != null && !closing) {
            watch = events.watch(mailbox.id(), () -> context.runOnContext(v -> onChange()));
        }
    }

    private void onChange() {
        if (closing || changeQueued) {
            return;
        }
        changeQueued = true;
        pending.add(CHANGED);
        drain();
    }

    // ---- input -------------------------------------------------------------------------------------

    /**
     * Logs out a client that said nothing for the idle timeout (RFC 3501 §5.4, §7.1.5 BYE), unless
     * the server is still waiting for it to take a response: that one is the socket's own timeout's.
     */
    private void checkIdle() {
        if (closing) {
            context.owner().cancelTimer(idleTimer);
            return;
        }
        if (busy) { // a long response (FETCH 1:* of a big mailbox) is not silence
            lastHeard = System.nanoTime();
            return;
        }
        if (System.nanoTime() - lastHeard < idleNanos || drainWaiter != null) {
            return;
        }
        closing = true;
        context.owner().cancelTimer(idleTimer);
        LOG.debugf("imap %s: autologout after %d s of silence", socket.remoteAddress(), idleNanos / 1_000_000_000);
        socket.write(Buffer.buffer("* BYE Autologout; idle for too long\r\n")).onComplete(ar -> socket.close());
    }

    private void onData(Buffer data) {
        lastHeard = System.nanoTime();
        if (closing || tlsStarting) { // RFC 3501 §6.2.1: nothing sent before the handshake counts
            return;
        }
        for (FramerEvent event : framer.feed(data.getBytes())) {
            if (event instanceof FramerEvent.NeedContinuation) {
                socket.write(Buffer.buffer("+ Ready for literal data\r\n")); // RFC 3501 §7.5
            } else {
                pending.add(event);
            }
        }
        if (pending.size() > MAX_PENDING) {
            socket.pause();
        }
        drain();
    }

    private void drain() {
        while (!busy && !closing && !pending.isEmpty()) {
            if (socket.writeQueueFull()) { // a client that does not read what it asked for: wait for it
                socket.pause();
                socket.drainHandler(v -> {
                    socket.drainHandler(null);
                    drain();
                });
                return;
            }
            Object next = pending.poll();
            Uni<Action> work;
            String verb;
            if (next == CHANGED) {
                changeQueued = false;
                verb = null;
                work = session.changed();
            } else if (next instanceof FramerEvent.TooBig tooBig) {
                socket.write(Buffer.buffer(tooBig.replyLine() + "\r\n"));
                metrics.command("TOOBIG", "BAD");
                if (tooBig.closeConnection()) {
                    closing = true;
                    socket.write(Buffer.buffer("* BYE command stream unreadable\r\n")).onComplete(ar -> socket.close());
                }
                continue;
            } else {
                FramerEvent.Command command = (FramerEvent.Command) next;
                held = command.heldOctets();
                if (mode == Action.SASL_RESPONSE) {
                    verb = "AUTHENTICATE";
                    work = session.saslResponse(command.command().firstLine());
                } else {
                    ParseResult parsed = ImapParser.parse(command.command());
                    if (parsed instanceof ParseError error) {
                        socket.write(Buffer.buffer(error.replyLine() + "\r\n"));
                        metrics.command("INVALID", error.status().name());
                        releaseHeld();
                        continue;
                    }
                    ImapCommand c = (ImapCommand) parsed;
                    verb = c.getClass().getSimpleName();
                    work = safely(c);
                }
            }
            busy = true;
            String counted = verb;
            work.subscribe().with(
                    action -> context.runOnContext(v -> done(counted, action)),
                    failure -> context.runOnContext(v -> failed(counted, failure)));
        }
        if (pending.size() <= MAX_PENDING / 2 && !tlsStarting && !closing) {
            socket.resume();
        }
    }

    private Uni<Action> safely(ImapCommand c) {
        try {
            return session.handle(c);
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(e);
        }
    }

    /** The literals of commands read but never to be handled are given back. */
    private void releasePending() {
        for (Object event : pending) {
            if (event instanceof FramerEvent.Command c && c.heldOctets() > 0) {
                literalMemory.release(c.heldOctets());
            }
        }
    }

    /** The handled command's literals are given back. */
    private void releaseHeld() {
        if (held > 0) {
            literalMemory.release(held);
            held = 0;
        }
    }

    private void done(String verb, Action action) {
        busy = false;
        releaseHeld();
        if (verb != null) {
            metrics.command(verb, session.lastStatus());
        }
        mode = action;
        switch (action) {
            case CLOSE -> {
                closing = true;
                socket.write(Buffer.buffer()).onComplete(ar -> socket.close());
            }
            case START_TLS -> {
                releasePending();
                pending.clear(); // RFC 3501 §6.2.1: pipelined plain text after STARTTLS is discarded
                framer.close();
                framer = new ImapFramer(maxLine, maxLiteral, maxCommand, literalMemory);
                busy = true;
                tlsStarting = true;
                socket.upgradeToSsl(up -> {
                    busy = false;
                    tlsStarting = false;
                    mode = Action.NONE;
                    if (up.succeeded()) {
                        session.tlsStarted();
                        drain();
                    } else {
                        LOG.debugf("imap %s: STARTTLS handshake failed: %s", socket.remoteAddress(), up.cause());
                        socket.close();
                    }
                });
            }
            default -> drain();
        }
    }

    /** A server fault, not a client error: answered NO [UNAVAILABLE] (RFC 5530), logged with its stack. */
    private void failed(String verb, Throwable e) {
        busy = false;
        releaseHeld();
        mode = session.idling() ? Action.IDLE : Action.NONE;
        if (closing && e instanceof java.nio.channels.ClosedChannelException) {
            return; // the client left in the middle of a response: nothing to answer
        }
        String tag = session.currentTag();
        if (e instanceof org.mailroom.mailbox.store.BodyMemory.Exhausted
                || e instanceof org.mailroom.mailbox.auth.Authenticator.DirectoryNotReady) { // RFC 5530 §3: try again later
            LOG.warnf("imap %s: %s: %s", socket.remoteAddress(), verb, e.getMessage());
            socket.write(Buffer.buffer((tag == null ? "*" : tag) + " NO [UNAVAILABLE] server busy, try again\r\n"));
        } else {
            LOG.errorf(e, "imap %s: %s failed", socket.remoteAddress(), verb);
            socket.write(Buffer.buffer((tag == null ? "*" : tag) + " NO [UNAVAILABLE] temporary server failure\r\n"));
        }
        if (verb != null) {
            metrics.command(verb, "NO");
        }
        drain();
    }
}
