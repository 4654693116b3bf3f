package org.mailroom.mailbox.pop3.session;

import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.List;
import org.mailroom.mailbox.pop3.protocol.Pop3Command;
import org.mailroom.mailbox.pop3.protocol.Pop3Command.*;
import org.mailroom.mailbox.pop3.protocol.Pop3Parser;
import org.mailroom.mailbox.pop3.protocol.Pop3Reply;
import org.mailroom.mailbox.pop3.protocol.ResponseCode;
import org.jboss.logging.Logger;

/**
 * One POP3 session as a state machine without sockets: fed one line at a time (the net layer
 * waits for each result before it feeds the next, so pipelining per RFC 2449 §6.6 keeps order),
 * it answers a {@link Result}: the reply and what the connection must do next.
 */
public final class Pop3Session {

    /** RFC 1939 §3 states, plus the SASL exchange of RFC 5034 inside AUTHORIZATION. */
    public enum State { AUTHORIZATION, SASL_PLAIN, TRANSACTION, CLOSED }

    public enum Action { NONE, START_TLS, CLOSE }

    /** The reply to one line, the command it was (for metrics), and what follows. */
    /** A reply; {@code written} is called once it has been written out (or the connection is gone). */
    public record Result(String verb, Pop3Reply reply, Action action, Runnable written) {
        public Result(String verb, Pop3Reply reply, Action action) {
            this(verb, reply, action, () -> { });
        }

        static Result of(String verb, Pop3Reply reply) {
            return new Result(verb, reply, Action.NONE);
        }
    }

    /** Fixed facts of the connection. */
    public record Settings(String hostname, boolean tlsAvailable, boolean allowPlaintextAuth) {}

    static final Pop3Reply NO_SUCH_MESSAGE = Pop3Reply.err("no such message");
    static final Pop3Reply BAD_STATE = Pop3Reply.err("command not valid in this state");
    static final Pop3Reply PLAINTEXT_REFUSED =
            Pop3Reply.err(ResponseCode.AUTH, "plaintext authentication disallowed without TLS; use STLS");
    static final Pop3Reply BAD_CREDENTIALS = Pop3Reply.err(ResponseCode.AUTH, "authentication failed");
    static final Pop3Reply IN_USE = Pop3Reply.err(ResponseCode.IN_USE, "maildrop already locked by another session");
    private static final Logger LOG = Logger.getLogger(Pop3Session.class);
    static final Pop3Reply TEMP_FAILURE = Pop3Reply.err(ResponseCode.SYS_TEMP, "temporary server failure, try again later");

    private final Pop3Backend backend;
    private final Settings settings;
    private final String clientIp;
    private State state = State.AUTHORIZATION;
    private boolean tlsActive;
    private String user;
    private String lockedAccount;
    private Maildrop drop;
    private BitSet deleted = new BitSet();

    public Pop3Session(Pop3Backend backend, Settings settings, String clientIp, boolean tlsActive) {
        this.backend = backend;
        this.settings = settings;
        this.clientIp = clientIp;
        this.tlsActive = tlsActive;
    }

    public Pop3Reply greeting() {
        return Pop3Reply.ok(settings.hostname() + " Mailroom POP3 ready");
    }

    public State state() {
        return state;
    }

    /** The TLS handshake after STLS succeeded: the session starts over (RFC 2595 §4). */
    public void tlsStarted() {
        tlsActive = true;
        user = null;
    }

    /** The connection went away: without QUIT there is no UPDATE state (RFC 1939 §6). */
    public void closed() {
        state = State.CLOSED;
        release();
    }

    public Result lineTooLong() {
        return Result.of("OTHER", Pop3Reply.err("line too long"));
    }

    public Uni<Result> handle(String line) {
        if (state == State.SASL_PLAIN) {
            state = State.AUTHORIZATION;
            if (line.equals("*")) { // RFC 5034 §4: the client cancels
                return done("AUTH", Pop3Reply.err("authentication cancelled"));
            }
            return saslPlain(line);
        }
        Pop3Command command = Pop3Parser.parse(line);
        if (command instanceof Invalid invalid) {
            return done(invalid.verb(), invalid.reply());
        }
        return switch (state) {
            case AUTHORIZATION -> authorization(command);
            case TRANSACTION -> transaction(command);
            default -> done(command.verb(), BAD_STATE);
        };
    }

    private Uni<Result> authorization(Pop3Command command) {
        boolean loginAllowed = tlsActive || settings.allowPlaintextAuth();
        if (command instanceof Capa) {
            return done("CAPA", capabilities());
        } else if (command instanceof Quit) {
            state = State.CLOSED;
            return Uni.createFrom().item(new Result("QUIT", Pop3Reply.ok(settings.hostname() + " signing off"), Action.CLOSE));
        } else if (command instanceof Stls) {
            if (tlsActive || !settings.tlsAvailable()) {
                return done("STLS", Pop3Reply.err(tlsActive ? "TLS already active" : "TLS not available"));
            }
            return Uni.createFrom().item(new Result("STLS", Pop3Reply.ok("begin TLS negotiation"), Action.START_TLS));
        } else if (command instanceof User u) {
            if (!loginAllowed) {
                return done("USER", PLAINTEXT_REFUSED);
            }
            user = u.name();
            return done("USER", Pop3Reply.ok("send PASS"));
        } else if (command instanceof Pass p) {
            if (user == null) {
                return done("PASS", Pop3Reply.err("USER first"));
            }
            String login = user;
            user = null;
            return login("PASS", login, p.password());
        } else if (command instanceof Auth a) {
            if (a.mechanism() == null) {
                return done("AUTH", Pop3Reply.lines("SASL mechanisms follow", List.of("PLAIN")));
            }
            if (!a.mechanism().equals("PLAIN")) {
                return done("AUTH", Pop3Reply.err("unsupported SASL mechanism"));
            }
            if (!loginAllowed) {
                return done("AUTH", PLAINTEXT_REFUSED);
            }
            if (a.initialResponse() == null) {
                state = State.SASL_PLAIN;
                return done("AUTH", Pop3Reply.continuation());
            }
            return saslPlain(a.initialResponse());
        }
        return done(command.verb(), BAD_STATE);
    }

    /** RFC 4616: [authzid] NUL authcid NUL passwd, base64 (RFC 5034 §4; "=" is empty). */
    private Uni<Result> saslPlain(String response) {
        byte[] decoded;
        try {
            decoded = response.equals("=") ? new byte[0] : Base64.getDecoder().decode(response.trim());
        } catch (IllegalArgumentException e) {
            return done("AUTH", Pop3Reply.err("invalid base64"));
        }
        String[] parts = new String(decoded, StandardCharsets.UTF_8).split("\u0000", -1);
        if (parts.length != 3 || parts[1].isEmpty()) {
            return done("AUTH", Pop3Reply.err("malformed PLAIN response"));
        }
        if (!parts[0].isEmpty() && !parts[0].equalsIgnoreCase(parts[1])) {
            return done("AUTH", Pop3Reply.err(ResponseCode.AUTH, "authorization identity not permitted"));
        }
        return login("AUTH", parts[1], parts[2]);
    }

    private Uni<Result> login(String verb, String login, String password) {
        return backend.authenticate(login, password, clientIp).chain(account -> {
            if (account.isEmpty()) {
                return done(verb, BAD_CREDENTIALS);
            }
            return backend.lock(account.get()).chain(locked -> {
                if (!locked) {
                    return done(verb, IN_USE);
                }
                lockedAccount = account.get();
                return opened(verb, account.get());
            }).onFailure().recoverWithItem(e -> {
                release();
                return failed(verb, e);
            });
        });
    }

    private Uni<Result> opened(String verb, String account) {
        return backend.open(account).map(opened -> {
            if (state == State.CLOSED) { // the client left while we were opening
                release();
                return Result.of(verb, Pop3Reply.ok("gone"));
            }
            drop = opened;
            deleted = new BitSet();
            state = State.TRANSACTION;
            return Result.of(verb, Pop3Reply.ok("maildrop has " + drop.entries().size() + " messages ("
                    + octets() + " octets)"));
        });
    }

    private Uni<Result> transaction(Pop3Command command) {
        if (command instanceof Stat) {
            return done("STAT", Pop3Reply.ok(count() + " " + octets()));
        } else if (command instanceof ListCmd l) {
            if (l.message() == 0) {
                List<String> lines = new ArrayList<>();
                forEachLive((n, e) -> lines.add(n + " " + e.size()));
                return done("LIST", Pop3Reply.lines(count() + " messages (" + octets() + " octets)", lines));
            }
            Maildrop.Entry e = live(l.message());
            return done("LIST", e == null ? NO_SUCH_MESSAGE : Pop3Reply.ok(l.message() + " " + e.size()));
        } else if (command instanceof Uidl u) {
            if (u.message() == 0) {
                List<String> lines = new ArrayList<>();
                forEachLive((n, e) -> lines.add(n + " " + drop.uniqueId(e)));
                return done("UIDL", Pop3Reply.lines("unique-id listing follows", lines));
            }
            Maildrop.Entry e = live(u.message());
            return done("UIDL", e == null ? NO_SUCH_MESSAGE : Pop3Reply.ok(u.message() + " " + drop.uniqueId(e)));
        } else if (command instanceof Retr r) {
            return retrieve("RETR", r.message(), -1);
        } else if (command instanceof Top t) {
            return retrieve("TOP", t.message(), t.lines());
        } else if (command instanceof Dele d) {
            if (live(d.message()) == null) {
                return done("DELE", NO_SUCH_MESSAGE);
            }
            deleted.set(d.message() - 1);
            return done("DELE", Pop3Reply.ok("message " + d.message() + " deleted"));
        } else if (command instanceof Noop) {
            return done("NOOP", Pop3Reply.ok(""));
        } else if (command instanceof Rset) {
            deleted.clear();
            return done("RSET", Pop3Reply.ok("maildrop has " + count() + " messages (" + octets() + " octets)"));
        } else if (command instanceof Capa) {
            return done("CAPA", capabilities());
        } else if (command instanceof Quit) {
            return update();
        }
        return done(command.verb(), BAD_STATE);
    }

    private Uni<Result> retrieve(String verb, int number, int bodyLines) {
        Maildrop.Entry e = live(number);
        if (e == null) {
            return done(verb, NO_SUCH_MESSAGE);
        }
        return backend.content(drop, e)
                .map(content -> {
                    try {
                        return new Result(verb, Pop3Reply.message(bodyLines < 0 ? e.size() + " octets" : "top of message follows",
                                content.octets(), bodyLines), Action.NONE, content.written());
                    } catch (RuntimeException | Error failure) { // OutOfMemoryError too: the share goes back
                        content.written().run();
                        throw failure;
                    }
                })
                .onFailure().recoverWithItem(failure -> failed(verb, failure));
    }

    /**
     * A command the server could not carry out: [SYS/TEMP] (RFC 3206 §4). Waiting too long for
     * memory for bodies is load, not a fault; anything else is logged with its stack.
     */
    private static Result failed(String verb, Throwable e) {
        if (e instanceof org.mailroom.mailbox.store.BodyMemory.Exhausted) {
            LOG.warnf("pop3 %s: %s", verb, e.getMessage());
        } else {
            LOG.errorf(e, "pop3 %s failed", verb);
        }
        return Result.of(verb, TEMP_FAILURE);
    }

    /** RFC 1939 §6: QUIT in TRANSACTION enters UPDATE, removes the deleted messages, releases the lock. */
    private Uni<Result> update() {
        state = State.CLOSED;
        List<Long> uids = new ArrayList<>();
        deleted.stream().forEach(i -> uids.add(drop.entries().get(i).uid()));
        Uni<Void> expunge = uids.isEmpty() ? Uni.createFrom().voidItem() : backend.expunge(drop, uids);
        return expunge
                .map(v -> new Result("QUIT", Pop3Reply.ok(settings.hostname() + " signing off ("
                        + count() + " messages left)"), Action.CLOSE))
                .onFailure().recoverWithItem(new Result("QUIT",
                        Pop3Reply.err(ResponseCode.SYS_TEMP, "some deleted messages not removed"), Action.CLOSE))
                .eventually(this::release);
    }

    private Pop3Reply capabilities() {
        List<String> caps = new ArrayList<>(List.of("TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING",
                "EXPIRE NEVER", "IMPLEMENTATION Mailroom"));
        if (state == State.AUTHORIZATION) {
            if (tlsActive || settings.allowPlaintextAuth()) {
                caps.add("USER");
                caps.add("SASL PLAIN");
            }
            if (!tlsActive && settings.tlsAvailable()) {
                caps.add("STLS");
            }
        }
        return Pop3Reply.lines("capability list follows", caps);
    }

    private void release() {
        if (lockedAccount != null) {
            backend.unlock(lockedAccount);
            lockedAccount = null;
        }
    }

    private Maildrop.Entry live(int number) {
        if (number < 1 || number > drop.entries().size() || deleted.get(number - 1)) {
            return null;
        }
        return drop.entries().get(number - 1);
    }

    private int count() {
        return drop.entries().size() - deleted.cardinality();
    }

    private long octets() {
        long total = 0;
        for (int i = 0; i < drop.entries().size(); i++) {
            if (!deleted.get(i)) {
                total += drop.entries().get(i).size();
            }
        }
        return total;
    }

    private void forEachLive(Numbered action) {
        for (int i = 0; i < drop.entries().size(); i++) {
            if (!deleted.get(i)) {
                action.accept(i + 1, drop.entries().get(i));
            }
        }
    }

    /** A message with its number in the session. */
    private interface Numbered {
        void accept(int number, Maildrop.Entry entry);
    }

    private static Uni<Result> done(String verb, Pop3Reply reply) {
        return Uni.createFrom().item(Result.of(verb, reply));
    }
}
