package org.mailroom.mailbox.imap.session;

import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.mailroom.mailbox.auth.Authenticator;
import org.mailroom.mailbox.imap.parse.ImapCommand;
import org.mailroom.mailbox.imap.parse.MailboxName;
import org.mailroom.mailbox.imap.parse.StatusItem;
import org.mailroom.mailbox.store.Folders;
import org.mailroom.mailbox.store.MailboxRow;
import org.mailroom.mailbox.store.Mailboxes;
import org.mailroom.mailbox.store.MessageFlags;
import org.mailroom.mailbox.store.Messages;

/**
 * One IMAP4rev1 session (RFC 3501): its state (§3), which command runs in which state, and the
 * commands of the not-authenticated and authenticated states. Commands of the selected state are in
 * {@link SelectedCommands}. No sockets: the connection feeds parsed commands one at a time and carries
 * out the returned {@link Action}; every response goes to the {@link ImapOutput}.
 */
public final class ImapSession {

    private static final Logger LOG = Logger.getLogger(ImapSession.class);

    /** RFC 3501 §3. */
    public enum State { NOT_AUTHENTICATED, AUTHENTICATED, SELECTED, LOGOUT }

    /** Per-listener settings. */
    public record Settings(String hostname, boolean tlsAvailable, boolean allowPlaintextAuth) {}

    /** Extensions served in every state once authenticated (docs/rfc-support.md). */
    private static final String EXTENSIONS = "LITERAL+ SASL-IR ID ENABLE IDLE NAMESPACE UIDPLUS MOVE UNSELECT CHILDREN SPECIAL-USE";

    private final Settings settings;
    private final Mailboxes mailboxes;
    private final Messages messages;
    private final Authenticator authenticator;
    private final String clientIp;
    private final ImapOutput out;
    private final Changes changes;
    private final SelectedCommands selectedCommands;

    private State state = State.NOT_AUTHENTICATED;
    private boolean tls;
    private String account;
    private SelectedMailbox selected;
    /** The tag of an AUTHENTICATE waiting for its SASL response line. */
    private String saslTag;
    private String currentTag;
    private String lastStatus = "OK";
    /** The account's default mailboxes are known to exist (RFC 6154): looked for once a session. */
    private boolean defaultsExist;

    public ImapSession(Settings settings, Mailboxes mailboxes, Messages messages, Authenticator authenticator,
            String clientIp, boolean implicitTls, ImapOutput out, Changes changes) {
        this.settings = settings;
        this.mailboxes = mailboxes;
        this.messages = messages;
        this.authenticator = authenticator;
        this.clientIp = clientIp;
        this.tls = implicitTls;
        this.out = out;
        this.changes = changes;
        this.selectedCommands = new SelectedCommands(this, messages, out);
    }

    /**
     * Subscribes a session to the changes of its selected mailbox, from any instance (see
     * MailboxEvents); {@code null} unsubscribes.
     */
    public interface Changes {
        void watch(SelectedMailbox mailbox);
    }

    public State state() {
        return state;
    }

    public String account() {
        return account;
    }

    SelectedMailbox selected() {
        return selected;
    }

    public boolean idling() {
        return selectedCommands.idling();
    }

    /** The greeting (RFC 3501 §7.1.1), with capabilities so clients need not ask (§7.2.1). */
    public void greet() {
        out.write(Wire.line("* OK [CAPABILITY " + capabilities() + "] " + settings.hostname() + " Mailroom IMAP4rev1 ready"));
    }

    public void tlsStarted() {
        tls = true;
    }

    /** The connection is gone. */
    public void closed() {
        changes.watch(null);
        state = State.LOGOUT;
    }

    /** The mailbox changed elsewhere; pushed at once while idling, else at the next command. */
    public Uni<Action> changed() {
        return selectedCommands.changed();
    }

    String capabilities() {
        StringBuilder b = new StringBuilder("IMAP4rev1");
        if (state == State.NOT_AUTHENTICATED) {
            if (settings.tlsAvailable() && !tls) {
                b.append(" STARTTLS");
            }
            if (loginAllowed()) {
                b.append(" AUTH=PLAIN");
            } else {
                b.append(" LOGINDISABLED"); // RFC 3501 §6.2.3, RFC 2595 §3.2
            }
        }
        return b.append(' ').append(EXTENSIONS).toString();
    }

    private boolean loginAllowed() {
        return tls || settings.allowPlaintextAuth();
    }

    /** Handles one parsed command; never fails for a client's mistake (those get NO or BAD). */
    public Uni<Action> handle(ImapCommand command) {
        currentTag = command.tag().isEmpty() ? null : command.tag();
        if (command instanceof ImapCommand.Done) {
            return selectedCommands.done();
        }
        if (selectedCommands.idling()) {
            return bad(command.tag(), "expected DONE");
        }
        Optional<String> refused = refusedInState(command);
        if (refused.isPresent()) {
            return bad(command.tag(), refused.get());
        }
        if (command instanceof ImapCommand.Capability c) {
            out.write(Wire.line("* CAPABILITY " + capabilities()));
            return ok(c.tag(), "CAPABILITY completed");
        } else if (command instanceof ImapCommand.Noop c) {
            return selectedCommands.updates(false).chain(() -> ok(c.tag(), "NOOP completed"));
        } else if (command instanceof ImapCommand.Logout c) {
            out.write(Wire.line("* BYE " + settings.hostname() + " logging out"));
            out.write(Wire.line(c.tag() + " OK LOGOUT completed"));
            state = State.LOGOUT;
            changes.watch(null);
            return Uni.createFrom().item(Action.CLOSE);
        } else if (command instanceof ImapCommand.Id c) {
            out.write(Wire.line("* ID (\"name\" \"Mailroom\" \"vendor\" \"Mailroom\")")); // RFC 2971 §3.3
            return ok(c.tag(), "ID completed");
        } else if (command instanceof ImapCommand.StartTls c) {
            if (!settings.tlsAvailable() || tls) {
                return bad(c.tag(), tls ? "TLS already active" : "STARTTLS not available");
            }
            out.write(Wire.line(c.tag() + " OK Begin TLS negotiation now"));
            return Uni.createFrom().item(Action.START_TLS);
        } else if (command instanceof ImapCommand.Login c) {
            if (!loginAllowed()) {
                return no(c.tag(), "[PRIVACYREQUIRED] LOGIN is disabled before STARTTLS");
            }
            return login(c.tag(), c.user(), c.password());
        } else if (command instanceof ImapCommand.Authenticate c) {
            return authenticate(c);
        } else if (command instanceof ImapCommand.Enable c) {
            out.write(Wire.line("* ENABLED")); // RFC 5161 §3.2: none of the extensions named can be enabled here
            return ok(c.tag(), "ENABLE completed");
        } else if (command instanceof ImapCommand.Namespace c) {
            out.write(Wire.line("* NAMESPACE ((\"\" \"/\")) NIL NIL")); // RFC 2342 §5
            return ok(c.tag(), "NAMESPACE completed");
        } else if (command instanceof ImapCommand.Select c) {
            return select(c.tag(), c.mailbox(), false);
        } else if (command instanceof ImapCommand.Examine c) {
            return select(c.tag(), c.mailbox(), true);
        } else if (command instanceof ImapCommand.Create c) {
            return create(c.tag(), c.mailbox());
        } else if (command instanceof ImapCommand.Delete c) {
            return delete(c.tag(), c.mailbox());
        } else if (command instanceof ImapCommand.Rename c) {
            return rename(c.tag(), c.from(), c.to());
        } else if (command instanceof ImapCommand.Subscribe c) {
            return subscribe(c.tag(), c.mailbox(), true);
        } else if (command instanceof ImapCommand.Unsubscribe c) {
            return subscribe(c.tag(), c.mailbox(), false);
        } else if (command instanceof ImapCommand.ListMailboxes c) {
            return list(c.tag(), c.reference(), c.pattern(), false);
        } else if (command instanceof ImapCommand.Lsub c) {
            return list(c.tag(), c.reference(), c.pattern(), true);
        } else if (command instanceof ImapCommand.Status c) {
            return status(c);
        } else if (command instanceof ImapCommand.Append c) {
            return append(c);
        } else if (command instanceof ImapCommand.Idle c) {
            return selectedCommands.idle(c.tag());
        } else if (command instanceof ImapCommand.Close c) {
            return selectedCommands.close(c.tag(), true);
        } else if (command instanceof ImapCommand.Unselect c) {
            return selectedCommands.close(c.tag(), false);
        }
        return selectedCommands.handle(command);
    }

    /** RFC 3501 §6: which state each command needs; BAD otherwise (§7.1.3: not valid in this state). */
    private Optional<String> refusedInState(ImapCommand c) {
        boolean anyState = c instanceof ImapCommand.Capability || c instanceof ImapCommand.Noop
                || c instanceof ImapCommand.Logout || c instanceof ImapCommand.Id;
        if (anyState) {
            return Optional.empty();
        }
        boolean notAuthenticated = c instanceof ImapCommand.StartTls || c instanceof ImapCommand.Login
                || c instanceof ImapCommand.Authenticate;
        if (notAuthenticated) {
            return state == State.NOT_AUTHENTICATED ? Optional.empty() : Optional.of("already authenticated");
        }
        if (state == State.NOT_AUTHENTICATED) {
            return Optional.of("log in first");
        }
        boolean authenticated = c instanceof ImapCommand.Select || c instanceof ImapCommand.Examine
                || c instanceof ImapCommand.Create || c instanceof ImapCommand.Delete || c instanceof ImapCommand.Rename
                || c instanceof ImapCommand.Subscribe || c instanceof ImapCommand.Unsubscribe
                || c instanceof ImapCommand.ListMailboxes || c instanceof ImapCommand.Lsub || c instanceof ImapCommand.Status
                || c instanceof ImapCommand.Append || c instanceof ImapCommand.Namespace || c instanceof ImapCommand.Enable
                || c instanceof ImapCommand.Idle;
        if (authenticated) {
            return Optional.empty();
        }
        return state == State.SELECTED ? Optional.empty() : Optional.of("no mailbox selected");
    }

    // ---- authentication ----------------------------------------------------------------------------

    private Uni<Action> login(String tag, String user, String password) {
        return authenticator.authenticate("imap", user, password, clientIp).chain(result -> {
            if (result.isEmpty()) {
                return no(tag, "[AUTHENTICATIONFAILED] invalid credentials"); // RFC 5530
            }
            account = result.get();
            state = State.AUTHENTICATED;
            LOG.debugf("imap %s: %s logged in", clientIp, account);
            return ok(tag, "[CAPABILITY " + capabilities() + "] logged in");
        });
    }

    private Uni<Action> authenticate(ImapCommand.Authenticate c) {
        if (!c.mechanism().equalsIgnoreCase("PLAIN")) {
            return no(c.tag(), "unsupported authentication mechanism");
        }
        if (!loginAllowed()) {
            return no(c.tag(), "[PRIVACYREQUIRED] authentication is disabled before STARTTLS");
        }
        if (c.initialResponse().isPresent()) { // RFC 4959
            return plain(c.tag(), c.initialResponse().get());
        }
        saslTag = c.tag();
        out.write(Wire.line("+ "));
        return Uni.createFrom().item(Action.SASL_RESPONSE);
    }

    /** The client's line after the AUTHENTICATE continuation (RFC 3501 §6.2.2). */
    public Uni<Action> saslResponse(String line) {
        String tag = saslTag;
        currentTag = tag;
        saslTag = null;
        if (line.trim().equals("*")) {
            return bad(tag, "authentication cancelled");
        }
        return plain(tag, line.trim());
    }

    /** SASL PLAIN (RFC 4616): [authzid] NUL authcid NUL passwd; only one's own identity. */
    private Uni<Action> plain(String tag, String base64) {
        byte[] decoded;
        try {
            decoded = base64.equals("=") ? new byte[0] : Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return bad(tag, "invalid base64");
        }
        String[] fields = new String(decoded, StandardCharsets.UTF_8).split("\u0000", -1);
        if (fields.length != 3 || fields[1].isEmpty()) {
            return bad(tag, "malformed PLAIN response");
        }
        if (!fields[0].isEmpty() && !fields[0].equalsIgnoreCase(fields[1])) {
            return no(tag, "[AUTHORIZATIONFAILED] cannot act as another user");
        }
        return login(tag, fields[1], fields[2]);
    }

    // ---- authenticated state ----------------------------------------------------------------------

    /** The Unicode name of a wire mailbox name, or empty when it is malformed. */
    static Optional<String> decodeName(String wire) {
        if (wire.equalsIgnoreCase(Folders.INBOX)) {
            return Optional.of(Folders.INBOX);
        }
        Optional<String> name = MailboxName.decode(wire);
        if (name.isEmpty() || name.get().isEmpty()) {
            return Optional.empty();
        }
        String n = name.get();
        if (n.toUpperCase(Locale.ROOT).startsWith("INBOX/")) {
            n = Folders.INBOX + n.substring(5);
        }
        return Optional.of(n);
    }

    private static boolean validNewName(String name) {
        return !name.startsWith("/") && !name.contains("//") && name.indexOf('*') < 0 && name.indexOf('%') < 0
                && name.chars().noneMatch(ch -> ch < 0x20);
    }

    private Uni<Action> select(String tag, String wireName, boolean readOnly) {
        if (selected != null) { // RFC 3501 §6.3.1: a failed SELECT leaves no mailbox selected
            selected = null;
            changes.watch(null);
            state = State.AUTHENTICATED;
            out.write(Wire.line("* OK [CLOSED] previous mailbox closed")); // RFC 7162 §3.2.11
        }
        Optional<String> name = decodeName(wireName);
        if (name.isEmpty()) {
            return no(tag, "[NONEXISTENT] no such mailbox");
        }
        return defaults()
                .chain(() -> messages.open(account, name.get(), !readOnly))
                .chain(opened -> {
                    if (opened.isEmpty()) {
                        return no(tag, "[NONEXISTENT] no such mailbox");
                    }
                    Messages.Opened o = opened.get();
                    SelectedMailbox box = new SelectedMailbox(o.mailbox().id(), o.mailbox().name(), readOnly,
                            o.mailbox().uidValidity(), o.recentFrom(), o.recentTo(), o.uids(), o.mailbox().highestModseq(),
                            o.mailbox().uidNext());
                    StringBuilder flags = new StringBuilder("\\Answered \\Flagged \\Deleted \\Seen \\Draft");
                    for (String k : o.keywords()) {
                        flags.append(' ').append(k);
                    }
                    out.write(Wire.line("* FLAGS (" + flags + ")"));
                    out.write(Wire.line("* OK [PERMANENTFLAGS (" + (readOnly ? "" : flags + " \\*") + ")] flags"));
                    out.write(Wire.line("* " + box.count() + " EXISTS"));
                    out.write(Wire.line("* " + box.recentCount() + " RECENT"));
                    if (o.firstUnseenUid() > 0) {
                        out.write(Wire.line("* OK [UNSEEN " + box.seq(o.firstUnseenUid()) + "] first unseen"));
                    }
                    out.write(Wire.line("* OK [UIDVALIDITY " + box.uidValidity() + "] UIDs valid"));
                    out.write(Wire.line("* OK [UIDNEXT " + box.uidNext() + "] predicted next UID"));
                    selected = box;
                    state = State.SELECTED;
                    changes.watch(box);
                    selectedCommands.lookOnce();
                    return ok(tag, (readOnly ? "[READ-ONLY] EXAMINE" : "[READ-WRITE] SELECT") + " completed");
                });
    }

    /**
     * Creates the account's default mailboxes if it has none yet (the first look of any session
     * does); later commands of the session skip the statement, since INBOX cannot be deleted.
     */
    private Uni<Void> defaults() {
        if (defaultsExist) {
            return Uni.createFrom().voidItem();
        }
        return mailboxes.list(account).invoke(() -> defaultsExist = true).replaceWithVoid();
    }

    void deselect() {
        selected = null;
        changes.watch(null);
        state = State.AUTHENTICATED;
    }

    private Uni<Action> create(String tag, String wireName) {
        Optional<String> decoded = decodeName(wireName);
        String name = decoded.map(n -> n.endsWith("/") ? n.substring(0, n.length() - 1) : n).orElse("");
        if (name.isEmpty() || !validNewName(name)) {
            return no(tag, "[CANNOT] invalid mailbox name");
        }
        if (name.equals(Folders.INBOX)) {
            return no(tag, "[ALREADYEXISTS] INBOX always exists");
        }
        return mailboxes.create(account, name)
                .chain(created -> created ? ok(tag, "CREATE completed") : no(tag, "[ALREADYEXISTS] mailbox exists"));
    }

    private Uni<Action> delete(String tag, String wireName) {
        Optional<String> name = decodeName(wireName);
        if (name.isEmpty()) {
            return no(tag, "[NONEXISTENT] no such mailbox");
        }
        if (name.get().equals(Folders.INBOX)) {
            return no(tag, "[CANNOT] INBOX cannot be deleted"); // RFC 3501 §6.3.4
        }
        if (selected != null && selected.name().equals(name.get())) {
            deselect();
        }
        return mailboxes.delete(account, name.get()).chain(result -> switch (result) {
            case DELETED -> ok(tag, "DELETE completed");
            case NOT_FOUND -> no(tag, "[NONEXISTENT] no such mailbox");
            case HAS_CHILDREN -> no(tag, "[INUSE] mailbox has children; delete them first");
        });
    }

    private Uni<Action> rename(String tag, String wireFrom, String wireTo) {
        Optional<String> from = decodeName(wireFrom);
        Optional<String> to = decodeName(wireTo);
        if (from.isEmpty()) {
            return no(tag, "[NONEXISTENT] no such mailbox");
        }
        if (to.isEmpty() || !validNewName(to.get()) || to.get().equals(Folders.INBOX)) {
            return no(tag, "[CANNOT] invalid mailbox name");
        }
        if (to.get().startsWith(from.get() + "/")) {
            return no(tag, "[CANNOT] cannot rename a mailbox into itself");
        }
        return mailboxes.rename(account, from.get(), to.get()).chain(result -> switch (result) {
            case RENAMED -> ok(tag, "RENAME completed");
            case NOT_FOUND -> no(tag, "[NONEXISTENT] no such mailbox");
            case EXISTS -> no(tag, "[ALREADYEXISTS] target mailbox exists");
        });
    }

    private Uni<Action> subscribe(String tag, String wireName, boolean on) {
        Optional<String> name = decodeName(wireName);
        if (name.isEmpty()) {
            return no(tag, "[NONEXISTENT] no such mailbox");
        }
        return defaults().chain(() -> mailboxes.subscribe(account, name.get(), on))
                .chain(done -> done ? ok(tag, (on ? "SUBSCRIBE" : "UNSUBSCRIBE") + " completed")
                        : no(tag, "[NONEXISTENT] no such mailbox"));
    }

    /** LIST and LSUB (RFC 3501 §6.3.8-9) with the CHILDREN (RFC 3348) and SPECIAL-USE (RFC 6154) attributes. */
    private Uni<Action> list(String tag, String reference, String wirePattern, boolean subscribedOnly) {
        String verb = subscribedOnly ? "LSUB" : "LIST";
        if (wirePattern.isEmpty()) { // RFC 3501 §6.3.8: the delimiter and root
            out.write(Wire.line("* " + verb + " (\\Noselect) \"/\" \"\""));
            return ok(tag, verb + " completed");
        }
        String combined = reference.isEmpty() || reference.endsWith("/") || wirePattern.startsWith("/")
                ? reference + wirePattern : reference + "/" + wirePattern;
        Optional<String> decoded = MailboxName.decode(combined);
        if (decoded.isEmpty()) {
            return ok(tag, verb + " completed");
        }
        Pattern pattern = ListPattern.compile(decoded.get());
        return mailboxes.list(account).chain(all -> {
            List<String> names = new ArrayList<>();
            for (MailboxRow m : all) {
                names.add(m.name());
            }
            for (MailboxRow m : all) {
                if (subscribedOnly && !m.subscribed()) {
                    continue;
                }
                if (!ListPattern.matches(pattern, m.name())) {
                    continue;
                }
                StringBuilder attrs = new StringBuilder();
                if (!subscribedOnly) {
                    boolean children = names.stream().anyMatch(n -> n.startsWith(m.name() + "/"));
                    attrs.append(children ? "\\HasChildren" : "\\HasNoChildren");
                    if (m.specialUse() != null) {
                        attrs.append(' ').append(m.specialUse());
                    }
                }
                out.write(Wire.line("* " + verb + " (" + attrs + ") \"/\" " + Wire.mailbox(m.name())));
            }
            return ok(tag, verb + " completed");
        });
    }

    private Uni<Action> status(ImapCommand.Status c) {
        Optional<String> name = decodeName(c.mailbox());
        if (name.isEmpty()) {
            return no(c.tag(), "[NONEXISTENT] no such mailbox");
        }
        return defaults().chain(() -> mailboxes.status(account, name.get())).chain(found -> {
            if (found.isEmpty()) {
                return no(c.tag(), "[NONEXISTENT] no such mailbox");
            }
            Mailboxes.Status s = found.get();
            StringBuilder b = new StringBuilder();
            for (StatusItem item : c.items()) {
                if (b.length() > 0) {
                    b.append(' ');
                }
                long value = switch (item) {
                    case MESSAGES -> s.messages();
                    case RECENT -> s.recent();
                    case UIDNEXT -> s.uidNext();
                    case UIDVALIDITY -> s.uidValidity();
                    case UNSEEN -> s.unseen();
                };
                b.append(item.name()).append(' ').append(value);
            }
            out.write(Wire.line("* STATUS " + Wire.mailbox(name.get()) + " (" + b + ")"));
            return ok(c.tag(), "STATUS completed");
        });
    }

    /** APPEND (RFC 3501 §6.3.11) with APPENDUID (RFC 4315 §3). */
    private Uni<Action> append(ImapCommand.Append c) {
        Optional<String> name = decodeName(c.mailbox());
        if (name.isEmpty()) {
            return no(c.tag(), "[TRYCREATE] no such mailbox");
        }
        OffsetDateTime date = c.internalDate().orElseGet(() -> OffsetDateTime.now(ZoneOffset.UTC));
        return defaults()
                .chain(() -> messages.append(account, name.get(), MessageFlags.of(c.flags()), date, c.message()))
                .chain(appended -> {
                    if (appended.isEmpty()) {
                        return no(c.tag(), "[TRYCREATE] no such mailbox"); // RFC 3501 §6.3.11
                    }
                    Uni<Void> updates = selected != null && selected.name().equals(name.get())
                            ? selectedCommands.updates(true) : Uni.createFrom().voidItem();
                    return updates.chain(() -> ok(c.tag(), "[APPENDUID " + appended.get().uidValidity() + " "
                            + appended.get().uid() + "] APPEND completed"));
                });
    }

    // ---- replies ----------------------------------------------------------------------------------

    /** The tag of the command being answered, for a server fault's reply; null for DONE. */
    public String currentTag() {
        return currentTag;
    }

    /** OK, NO or BAD: how the last command was answered (for metrics). */
    public String lastStatus() {
        return lastStatus;
    }

    Uni<Action> ok(String tag, String text) {
        lastStatus = "OK";
        out.write(Wire.line(tag + " OK " + text));
        return Uni.createFrom().item(Action.NONE);
    }

    Uni<Action> no(String tag, String text) {
        lastStatus = "NO";
        out.write(Wire.line(tag + " NO " + text));
        return Uni.createFrom().item(Action.NONE);
    }

    Uni<Action> bad(String tag, String text) {
        lastStatus = "BAD";
        out.write(Wire.line((tag == null || tag.isEmpty() ? "*" : tag) + " BAD " + text));
        return Uni.createFrom().item(Action.NONE);
    }
}
