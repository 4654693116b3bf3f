package org.mailroom.ingress.session;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.LongPredicate;
import java.util.function.Supplier;
import org.mailroom.core.address.MailAddress;
import org.mailroom.core.event.Envelope;
import org.mailroom.core.event.InboundMessage;
import org.mailroom.core.event.Recipient;
import org.mailroom.core.smtp.Replies;
import org.mailroom.core.smtp.Reply;
import org.mailroom.ingress.protocol.Command;
import org.mailroom.ingress.protocol.CommandParser;
import org.mailroom.ingress.protocol.InputFramer;
import org.mailroom.ingress.relay.DirectoryView;
import org.mailroom.ingress.relay.RecipientPolicy;

/**
 * One SMTP session as a state machine with no sockets (RFC 5321 §4.1.4 for the order of
 * commands). The network layer feeds it command lines and message bodies and carries out the
 * {@link Effect} of each {@link Outcome}; unit tests drive it directly.
 */
public final class SmtpSession {

    static final Reply GREETING_TEXT = Reply.plain(220, "");
    static final Reply NEED_HELO = Reply.of(503, "5.5.1", "send EHLO or HELO first");
    static final Reply NESTED_MAIL = Reply.of(503, "5.5.1", "sender already specified");
    static final Reply NEED_MAIL = Reply.of(503, "5.5.1", "need MAIL before RCPT");
    static final Reply NEED_RCPT = Reply.of(503, "5.5.1", "need RCPT before DATA");
    static final Reply NO_VALID_RCPT = Reply.of(554, "5.5.1", "no valid recipients");
    static final Reply BINARYMIME_NEEDS_BDAT = Reply.of(503, "5.5.1", "BODY=BINARYMIME requires BDAT");
    static final Reply BDAT_AFTER_DATA_MODE = Reply.of(503, "5.5.1", "BDAT and DATA cannot be mixed");
    static final Reply READY_TLS = Reply.of(220, "2.0.0", "ready to start TLS");
    static final Reply TLS_ACTIVE = Reply.of(503, "5.5.1", "TLS already active");
    static final Reply TLS_UNAVAILABLE = Reply.of(454, "4.7.0", "TLS not available");
    static final Reply AUTH_OK = Reply.of(235, "2.7.0", "authentication successful");
    static final Reply AUTH_FAILED = Reply.of(535, "5.7.8", "authentication credentials invalid");
    static final Reply AUTH_ALREADY = Reply.of(503, "5.5.1", "already authenticated");
    static final Reply AUTH_IN_TRANSACTION = Reply.of(503, "5.5.1", "AUTH not permitted during a mail transaction");
    static final Reply AUTH_MECHANISM = Reply.of(504, "5.5.4", "unrecognized authentication type");
    static final Reply AUTH_NEEDS_TLS = Reply.of(538, "5.7.11", "encryption required for requested authentication mechanism");
    static final Reply AUTH_NOT_OFFERED = Reply.of(503, "5.5.1", "AUTH not available on this port");
    static final Reply AUTH_CANCELLED = Reply.of(501, "5.0.0", "authentication cancelled");
    static final Reply AUTH_BAD_BASE64 = Reply.of(501, "5.5.2", "cannot decode base64 response");
    static final Reply EXPN_DISABLED = Reply.of(502, "5.5.1", "EXPN not available");
    static final Reply BARE_LINE_END = Reply.of(554, "5.5.2", "bare CR or LF around the end-of-data dot refused (SMTP smuggling)");
    static final Reply NO_MEMORY = Reply.of(452, "4.3.1", "insufficient system storage, try again later");
    static final Reply HELP = Reply.of(214, "2.0.0", "see RFC 5321; commands: HELO EHLO MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY HELP STARTTLS AUTH");

    private final SessionSettings settings;
    private final DirectoryView directory;
    private final String clientIpText;
    private final InetAddress clientIp;
    private final Clock clock;
    private final Supplier<String> queueIds;
    private final LongPredicate roomForBody;

    // connection state (reset by STARTTLS: RFC 3207 §4.2)
    private String helo;
    private boolean extended;
    private Envelope.Tls tls;
    private String authUser;
    private int errors;
    private AuthExchange auth;

    // transaction state (reset by RSET, MAIL failures, end of message)
    private Transaction tx;

    public SmtpSession(SessionSettings settings, DirectoryView directory, InetAddress clientIp, Envelope.Tls tls,
            Clock clock, Supplier<String> queueIds) {
        this(settings, directory, clientIp, tls, clock, queueIds, octets -> true);
    }

    /**
     * @param roomForBody whether the instance's body budget could hold that many octets now: MAIL
     *                    with a SIZE it cannot is answered 452 4.3.1 before the body is sent (RFC 1870
     *                    §6.1); the reservation itself is made when DATA starts
     */
    public SmtpSession(SessionSettings settings, DirectoryView directory, InetAddress clientIp, Envelope.Tls tls,
            Clock clock, Supplier<String> queueIds, LongPredicate roomForBody) {
        this.roomForBody = roomForBody;
        this.settings = settings;
        this.directory = directory;
        this.clientIp = clientIp;
        this.clientIpText = clientIp == null ? null : clientIp.getHostAddress();
        this.tls = tls;
        this.clock = clock;
        this.queueIds = queueIds;
    }

    public Reply greeting() {
        return Reply.plain(220, settings.hostname() + " ESMTP Mailroom");
    }

    public boolean inTransaction() {
        return tx != null;
    }

    public String queueId() {
        return tx == null ? null : tx.queueId;
    }

    public String authUser() {
        return authUser;
    }

    /** A command line, or the client's answer during an AUTH exchange. */
    public Outcome onLine(String line) {
        if (auth != null) {
            return authContinue(line);
        }
        Command command = CommandParser.parse(line);
        return onCommand(command);
    }

    /** An over-long command line (RFC 5321 §4.5.3.1.4). */
    public Outcome onLineTooLong() {
        return error(Replies.LINE_TOO_LONG);
    }

    public Outcome onCommand(Command command) {
        if (command instanceof Command.Invalid invalid) {
            return error(invalid.reply());
        } else if (command instanceof Command.Helo h) {
            return hello(h.domain(), false);
        } else if (command instanceof Command.Ehlo e) {
            return hello(e.domain(), true);
        } else if (command instanceof Command.Mail m) {
            return mail(m);
        } else if (command instanceof Command.Rcpt r) {
            return rcpt(r);
        } else if (command instanceof Command.Data) {
            return data();
        } else if (command instanceof Command.Bdat b) {
            return bdat(b);
        } else if (command instanceof Command.Rset) {
            tx = null;
            return Outcome.reply(Replies.OK);
        } else if (command instanceof Command.Noop) {
            return Outcome.reply(Replies.OK);
        } else if (command instanceof Command.Quit) {
            return Outcome.of(Reply.of(221, "2.0.0", settings.hostname() + " closing connection"), new Effect.Close());
        } else if (command instanceof Command.Vrfy) {
            return Outcome.reply(Replies.VRFY_CANNOT); // RFC 5321 §3.5.3: 252, no address harvesting
        } else if (command instanceof Command.Expn) {
            return Outcome.reply(EXPN_DISABLED);
        } else if (command instanceof Command.Help) {
            return Outcome.reply(HELP);
        } else if (command instanceof Command.StartTls) {
            return startTls();
        } else if (command instanceof Command.Auth a) {
            return authStart(a);
        }
        return error(Replies.UNKNOWN_COMMAND);
    }

    private Outcome error(Reply reply) {
        errors++;
        if (errors >= settings.maxErrors()) {
            return new Outcome(List.of(reply, Replies.TOO_MANY_ERRORS), new Effect.Close());
        }
        return Outcome.reply(reply);
    }

    private Outcome hello(String domain, boolean ehlo) {
        helo = domain;
        extended = ehlo;
        tx = null; // RFC 5321 §4.1.4: EHLO/HELO reset the transaction
        if (!ehlo) {
            return Outcome.reply(Reply.plain(250, settings.hostname())); // RFC 2034 §3: none on HELO either
        }
        List<String> lines = new ArrayList<>();
        lines.add(settings.hostname() + " greets " + domain);
        lines.add("PIPELINING");
        lines.add("SIZE " + settings.maxMessageSize());
        lines.add("8BITMIME");
        lines.add("BINARYMIME");
        lines.add("CHUNKING");
        lines.add("SMTPUTF8");
        lines.add("DSN");
        lines.add("ENHANCEDSTATUSCODES");
        if (tls == null && settings.tlsAvailable()) {
            lines.add("STARTTLS");
        }
        if (authOffered()) {
            lines.add("AUTH PLAIN LOGIN");
        }
        // RFC 2034 §3: no enhanced codes on the EHLO response.
        return Outcome.reply(Reply.multiline(250, null, lines));
    }

    private boolean authOffered() {
        return settings.listener().authRequired() && authUser == null && (tls != null || settings.authWithoutTls());
    }

    private Outcome startTls() {
        if (tls != null) {
            return error(TLS_ACTIVE);
        }
        if (!settings.tlsAvailable()) {
            return Outcome.reply(TLS_UNAVAILABLE);
        }
        return Outcome.of(READY_TLS, new Effect.StartTls());
    }

    /** The handshake finished: everything learnt before is forgotten (RFC 3207 §4.2). */
    public void tlsStarted(Envelope.Tls session) {
        this.tls = session;
        helo = null;
        extended = false;
        authUser = null;
        auth = null;
        tx = null;
    }

    private Outcome mail(Command.Mail m) {
        if (helo == null) {
            return error(NEED_HELO);
        }
        if (tx != null) {
            return error(NESTED_MAIL);
        }
        if (settings.listener().authRequired() && authUser == null) {
            return Outcome.reply(Replies.AUTH_REQUIRED);
        }
        if (m.size() > settings.maxMessageSize()) {
            return Outcome.reply(Replies.MESSAGE_TOO_BIG); // RFC 1870 §6.1
        }
        if (m.size() > 0 && !roomForBody.test(m.size())) {
            return Outcome.reply(NO_MEMORY); // RFC 1870 §6.1: temporarily, not now; before the body is sent
        }
        if (!m.reversePath().isEmpty()) {
            MailAddress sender = MailAddress.parse(m.reversePath()).orElse(null);
            if (sender == null) {
                return error(CommandParser.BAD_SENDER_ADDRESS);
            }
            if (authUser != null && !directory.mayUseSender(authUser, sender)) {
                return Outcome.reply(Replies.SENDER_NOT_OWNED);
            }
        } else if (authUser != null) {
            return Outcome.reply(Replies.SENDER_NOT_OWNED);
        }
        tx = new Transaction(queueIds.get(), m);
        return Outcome.reply(Replies.SENDER_OK);
    }

    private Outcome rcpt(Command.Rcpt r) {
        if (tx == null) {
            return error(NEED_MAIL);
        }
        tx.rcptAttempts++;
        if (tx.recipients.size() >= settings.maxRecipients()) {
            return Outcome.reply(Replies.TOO_MANY_RECIPIENTS); // RFC 5321 §4.5.3.1.10
        }
        String path = r.forwardPath();
        if (path.equals("postmaster")) {
            path = "postmaster@" + settings.hostname();
        }
        MailAddress address = MailAddress.parse(path).orElse(null);
        if (address == null) {
            return error(CommandParser.BAD_ADDRESS);
        }
        if (!tx.mail.smtpUtf8() && address.needsSmtpUtf8()) {
            return Outcome.reply(Reply.of(553, "5.6.7", "non-ASCII address requires SMTPUTF8"));
        }
        boolean senderLocal = authUser != null || (clientIp != null && directory.usable() && directory.isTrusted(clientIp));
        Reply decision = RecipientPolicy.decide(directory, senderLocal, address);
        if (decision.isPositive()) {
            tx.recipients.add(new Recipient(path, r.notifyOn(), r.orcpt()));
            return Outcome.reply(decision);
        }
        // A policy refusal is not a protocol error: it does not count towards maxErrors.
        return Outcome.reply(decision);
    }

    private Outcome data() {
        if (tx == null) {
            return error(NEED_MAIL);
        }
        if (tx.chunking) {
            return error(BDAT_AFTER_DATA_MODE);
        }
        if (tx.mail.body() == Envelope.Body.BINARY_MIME) {
            return error(BINARYMIME_NEEDS_BDAT);
        }
        if (tx.recipients.isEmpty()) {
            return error(tx.rcptAttempted() ? NO_VALID_RCPT : NEED_RCPT);
        }
        return Outcome.of(Replies.START_DATA, new Effect.ReadData(tx.mail.size()));
    }

    /**
     * BDAT: the chunk follows the command whatever we think of it (RFC 3030 §3), so it is always
     * read; the verdict comes in {@link #onChunk}.
     */
    private Outcome bdat(Command.Bdat b) {
        boolean first = tx == null || !tx.chunking;
        if (tx != null) {
            tx.chunking = true;
            tx.lastChunk = b.last();
        } else {
            pendingBdatError = helo == null ? NEED_HELO : NEED_MAIL;
        }
        return Outcome.silent(new Effect.ReadChunk(b.size(), first));
    }

    private Reply pendingBdatError;

    /** A BDAT chunk was read; {@code body} is the framer's account of the message so far. */
    public Outcome onChunk(InputFramer.Body body, Supplier<byte[]> message) {
        if (pendingBdatError != null || tx == null) {
            Reply r = pendingBdatError == null ? NEED_MAIL : pendingBdatError;
            pendingBdatError = null;
            message.get();
            return error(r);
        }
        if (tx.recipients.isEmpty()) {
            tx = null;
            message.get();
            return error(NO_VALID_RCPT);
        }
        if (!tx.lastChunk) {
            return Outcome.reply(Reply.of(250, "2.0.0", body.size() + " octets received"));
        }
        return endOfMessage(body, message.get());
    }

    /** The end of DATA. */
    public Outcome onData(InputFramer.Body body, byte[] message) {
        return endOfMessage(body, message);
    }

    private Outcome endOfMessage(InputFramer.Body body, byte[] raw) {
        Transaction t = tx;
        if (body.overflow()) {
            tx = null;
            return Outcome.reply(Replies.MESSAGE_TOO_BIG);
        }
        if (body.smuggling()) {
            tx = null;
            return error(BARE_LINE_END);
        }
        if (body.starved()) {
            tx = null;
            return Outcome.reply(NO_MEMORY);
        }
        byte[] received = ReceivedHeader.build(settings.hostname(), helo, clientIpText, tls, authUser, extended,
                t.mail.smtpUtf8(), t.queueId, t.recipients.size() == 1 ? t.recipients.get(0).address() : null,
                clock.instant());
        byte[] message = new byte[received.length + raw.length];
        System.arraycopy(received, 0, message, 0, received.length);
        System.arraycopy(raw, 0, message, received.length, raw.length);
        Envelope envelope = new Envelope(t.queueId, clock.instant(), settings.hostname(), settings.listener().id(),
                clientIpText, helo, tls, authUser, t.mail.reversePath(), t.recipients, t.mail.ret(), t.mail.envid(),
                t.mail.body(), t.mail.smtpUtf8(), message.length);
        return Outcome.silent(new Effect.Publish(new InboundMessage(envelope, message)));
    }

    /** The broker acknowledged the message: only now 250 (ARCHITECTURE.md, mail.inbound). */
    public Outcome published() {
        String id = tx == null ? "?" : tx.queueId;
        tx = null;
        return Outcome.reply(Reply.of(250, "2.0.0", "queued as " + id));
    }

    /** The broker refused or timed out: nothing was accepted. */
    public Outcome publishFailed() {
        String id = tx == null ? "?" : tx.queueId;
        tx = null;
        return Outcome.reply(Reply.of(451, "4.3.0", "local error, try again later (queue id " + id + ")"));
    }

    // --- AUTH (RFC 4954) ---

    private Outcome authStart(Command.Auth a) {
        if (!settings.listener().authRequired()) {
            return error(AUTH_NOT_OFFERED);
        }
        if (helo == null) {
            return error(NEED_HELO);
        }
        if (authUser != null) {
            return error(AUTH_ALREADY);
        }
        if (tx != null) {
            return error(AUTH_IN_TRANSACTION);
        }
        if (tls == null && !settings.authWithoutTls()) {
            return Outcome.reply(AUTH_NEEDS_TLS);
        }
        switch (a.mechanism()) {
            case "PLAIN" -> {
                auth = new AuthExchange("PLAIN");
                if (a.initialResponse() == null) {
                    return Outcome.reply(Reply.plain(334, ""));
                }
                return authContinue(a.initialResponse());
            }
            case "LOGIN" -> {
                auth = new AuthExchange("LOGIN");
                if (a.initialResponse() == null) {
                    return Outcome.reply(Reply.plain(334, "VXNlcm5hbWU6")); // "Username:"
                }
                return authContinue(a.initialResponse());
            }
            default -> {
                return error(AUTH_MECHANISM);
            }
        }
    }

    private Outcome authContinue(String line) {
        AuthExchange a = auth;
        if (line.equals("*")) {
            auth = null;
            return error(AUTH_CANCELLED);
        }
        byte[] decoded;
        try {
            decoded = line.equals("=") ? new byte[0] : Base64.getDecoder().decode(line.strip());
        } catch (IllegalArgumentException e) {
            auth = null;
            return error(AUTH_BAD_BASE64);
        }
        String text = new String(decoded, StandardCharsets.UTF_8);
        if (a.mechanism.equals("PLAIN")) {
            auth = null;
            // RFC 4616: [authzid] NUL authcid NUL passwd
            String[] parts = text.split("\0", -1);
            if (parts.length != 3 || parts[1].isEmpty()) {
                return error(AUTH_FAILED);
            }
            if (!parts[0].isEmpty() && !parts[0].equalsIgnoreCase(parts[1])) {
                return error(AUTH_FAILED); // no proxy authorisation
            }
            return Outcome.silent(new Effect.Authenticate(parts[1], parts[2]));
        }
        if (a.username == null) {
            a.username = text;
            return Outcome.reply(Reply.plain(334, "UGFzc3dvcmQ6")); // "Password:"
        }
        auth = null;
        return Outcome.silent(new Effect.Authenticate(a.username, text));
    }

    /** The verdict of an {@link Effect.Authenticate}: {@code account} is the canonical address, or null. */
    public Outcome authenticated(String account) {
        if (account == null) {
            return error(AUTH_FAILED);
        }
        authUser = account.toLowerCase(Locale.ROOT);
        return Outcome.reply(AUTH_OK);
    }

    private static final class AuthExchange {
        final String mechanism;
        String username;

        AuthExchange(String mechanism) {
            this.mechanism = mechanism;
        }
    }

    private static final class Transaction {
        final String queueId;
        final Command.Mail mail;
        final List<Recipient> recipients = new ArrayList<>();
        boolean chunking;
        boolean lastChunk;
        int rcptAttempts;

        Transaction(String queueId, Command.Mail mail) {
            this.queueId = queueId;
            this.mail = mail;
        }

        boolean rcptAttempted() {
            return rcptAttempts > 0;
        }
    }
}
