"""Drives the IMAP listeners with Python's imaplib through the whole RFC 3501 command set and the
extensions the server announces (UIDPLUS, MOVE, ID, NAMESPACE, IDLE, UNSELECT).

Usage: imaplib_check.py HOST PORT TLS_PORT USER PASSWORD CAFILE OUTDIR
The account's INBOX must hold exactly two messages, as ImapClientsIT delivers them: "first" (one
text part, body "Hello") and "second" (multipart/mixed: text/plain "part one", text/html).
Writes OUTDIR/fetch1.eml and OUTDIR/fetch2.eml (BODY.PEEK[] of messages 1 and 2 as fetched) and
prints one JSON object; its "problems" lists every check that failed (empty when all passed). A
protocol error (BAD, a dropped connection) stops the run: the JSON then carries "error".
"""
import json
import os
import re
import socket
import ssl
import sys
import traceback

import imaplib

host, port, tls_port, user, password, cafile, outdir = sys.argv[1:8]
ctx = ssl.create_default_context(cafile=cafile)
ctx.check_hostname = False  # we connect to 127.0.0.1; the certificate is for localhost
report = {"problems": []}

THIRD = (b"From: Dave <dave@remote.test>\r\nTo: bob@clients.test\r\nSubject: third\r\n"
         b"Date: Wed, 01 Jan 2020 12:00:00 +0000\r\nMessage-ID: <third@remote.test>\r\n\r\n"
         b"Lorem ipsum dolor sit amet\r\nsecond line\r\n")
FOURTH = b"From: dave@remote.test\r\nSubject: fourth\r\n\r\nfour\r\n"
FIFTH = b"From: dave@remote.test\r\nSubject: fifth\r\n\r\nto be closed away\r\n"
IDLED = b"From: erin@remote.test\r\nSubject: while idling\r\n\r\nwake up\r\n"


def check(what, got, want):
    if got != want:
        report["problems"].append("%s: got %r, want %r" % (what, got, want))
    return got


def ok(what, result):
    typ, data = result
    if typ != "OK":
        report["problems"].append("%s: %s %r" % (what, typ, data))
    return data


# --- a small reader of IMAP response data (RFC 3501 §4, §9 formal syntax) ---------------------

def wire(data):
    """imaplib splits a response at each literal: join it back as it came on the wire."""
    out = b""
    for item in data:
        if isinstance(item, tuple):
            out += item[0] + b"\r\n" + item[1]
        elif item is not None:
            out += item
    return out


def parse_value(buf, i):
    while i < len(buf) and buf[i:i + 1] == b" ":
        i += 1
    c = buf[i:i + 1]
    if c == b"(":
        items, i = [], i + 1
        while True:
            while buf[i:i + 1] == b" ":
                i += 1
            if buf[i:i + 1] == b")":
                return items, i + 1
            v, i = parse_value(buf, i)
            items.append(v)
    if c == b'"':
        out, i = b"", i + 1
        while buf[i:i + 1] != b'"':
            if buf[i:i + 1] == b"\\":
                i += 1
            out += buf[i:i + 1]
            i += 1
        return out.decode("utf-8"), i + 1
    if c == b"{":
        end = buf.index(b"}", i)
        n = int(buf[i + 1:end].rstrip(b"+"))
        start = end + 3  # "}\r\n"
        return buf[start:start + n], start + n
    j = i
    while j < len(buf) and buf[j:j + 1] not in (b" ", b"(", b")"):
        if buf[j:j + 1] == b"[":  # BODY[HEADER.FIELDS (SUBJECT)]: a section holds spaces and parens
            j = buf.index(b"]", j)
        j += 1
    atom = buf[i:j].decode("utf-8")
    return (None if atom.upper() == "NIL" else atom), j


def fetches(data):
    """FETCH responses as {sequence number: {ITEM: value}}."""
    buf, i, out = wire(data), 0, {}
    while i < len(buf):
        while buf[i:i + 1] in (b" ", b"\r", b"\n"):
            i += 1
        if i >= len(buf):
            break
        m = re.match(rb"(\d+) ", buf[i:])
        seq = int(m.group(1))
        items, i = parse_value(buf, i + len(m.group(0)))
        d = out.setdefault(seq, {})
        for k in range(0, len(items), 2):
            d[items[k].upper()] = items[k + 1]
    return out


def flags(fetched):
    """The flags of a FETCH, less \\Recent (RFC 3501 §2.3.2: the session's, not the message's)."""
    return sorted(f for f in fetched["FLAGS"] if f != "\\Recent")


def nums(data):
    return [int(x) for x in b" ".join(d for d in data if d).split()]


def code(data, name):
    """The response code [NAME ...] in a tagged or untagged text, as its words."""
    for d in data:
        text = d.decode() if isinstance(d, bytes) else str(d)
        m = re.search(r"\[" + name + r" ([^\]]*)\]", text)
        if m:
            return m.group(1).split()
    return None


def status(m, mailbox):
    data = ok("STATUS " + mailbox, m.status(mailbox, "(MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN)"))
    items, _ = parse_value(data[0], data[0].index(b"("))
    return {items[k].upper(): int(items[k + 1]) for k in range(0, len(items), 2)}


def names(data):
    out = []
    for d in data:
        attrs, i = parse_value(d, 0)
        delim, i = parse_value(d, i)
        name, i = parse_value(d, i)
        out.append(name)
    return sorted(out)


def run():
    # Implicit TLS (RFC 8314) ------------------------------------------------------------------
    m = imaplib.IMAP4_SSL(host, int(tls_port), ssl_context=ctx, timeout=30)
    report["capability_before_login"] = list(m.capabilities)
    ok("LOGIN", m.login(user, password))
    caps = ok("CAPABILITY", m.capability())[0].decode().split()
    report["capability"] = caps
    for c in ("IMAP4rev1", "UIDPLUS", "MOVE", "IDLE", "NAMESPACE", "ID", "UNSELECT"):
        check("CAPABILITY lists " + c, c in caps, True)
    report["namespace"] = ok("NAMESPACE", m.namespace())[0].decode()
    check("NAMESPACE", report["namespace"], '(("" "/")) NIL NIL')
    ok("ID", m.xatom("ID", '("name" "imaplib" "version" "%s")' % sys.version.split()[0]))
    ident = m.response("ID")[1]
    report["id"] = ident[0].decode() if ident and ident[0] else None
    check("ID names the server", bool(report["id"]) and "Mailroom" in report["id"], True)
    ok("NOOP", m.noop())

    # Mailboxes: LIST, CREATE, RENAME, DELETE, SUBSCRIBE, UNSUBSCRIBE, LSUB, STATUS ------------
    before = names(ok("LIST", m.list('""', "*")))
    report["list_before"] = before
    check("LIST has INBOX", "INBOX" in before, True)
    ok("CREATE Work", m.create("Work"))
    ok("CREATE Work/Sub", m.create("Work/Sub"))
    ok("CREATE Tmp", m.create("Tmp"))
    ok("RENAME Tmp Archive", m.rename("Tmp", "Archive"))
    check("CREATE an existing mailbox", m.create("Work")[0], "NO")
    after = names(ok("LIST", m.list('""', "*")))
    report["list_after"] = after
    check("LIST after CREATE/RENAME", sorted(set(after) - set(before)), ["Archive", "Work", "Work/Sub"])
    check("LIST Work/%", names(ok("LIST Work/%", m.list("Work/", "%"))), ["Work/Sub"])
    ok("DELETE Work/Sub", m.delete("Work/Sub"))
    check("LIST after DELETE", "Work/Sub" in names(ok("LIST", m.list('""', "*"))), False)
    ok("SUBSCRIBE Work", m.subscribe("Work"))
    ok("SUBSCRIBE Archive", m.subscribe("Archive"))
    ok("UNSUBSCRIBE Archive", m.unsubscribe("Archive"))
    lsub = names(ok("LSUB", m.lsub('""', "*")))
    report["lsub"] = lsub
    check("LSUB has Work", "Work" in lsub, True)
    check("LSUB lacks Archive after UNSUBSCRIBE", "Archive" in lsub, False)
    st = status(m, "INBOX")
    report["status_inbox"] = st
    check("STATUS INBOX MESSAGES", st.get("MESSAGES"), 2)
    check("STATUS INBOX UIDNEXT", st.get("UIDNEXT"), 3)
    check("STATUS INBOX UNSEEN", st.get("UNSEEN"), 2)
    uidvalidity = st.get("UIDVALIDITY")

    # APPEND with flags and an internal date (RFC 3501 §6.3.11, RFC 4315 APPENDUID) -------------
    data = ok("APPEND", m.append("INBOX", r"(\Flagged $Label1)", '"01-Jan-2020 12:00:00 +0000"', THIRD))
    report["appenduid"] = code(data, "APPENDUID")
    check("APPENDUID", report["appenduid"], [str(uidvalidity), "3"])

    # EXAMINE: read-only, fetching a body leaves \Seen alone --------------------------------------
    data = ok("EXAMINE INBOX", m.select("INBOX", readonly=True))
    check("EXAMINE EXISTS", int(data[-1]), 3)
    f = fetches(ok("FETCH in EXAMINE", m.fetch("1:*", "(FLAGS BODY[TEXT])")))
    check("FETCH 3 FLAGS after APPEND", flags(f[3]), ["$Label1", "\\Flagged"])
    f = fetches(ok("FETCH FLAGS in EXAMINE", m.fetch("1", "FLAGS")))
    check("EXAMINE: BODY[] does not set \\Seen", flags(f[1]), [])
    check("STORE in EXAMINE is refused", m.store("1", "+FLAGS", r"(\Seen)")[0], "NO")

    # SELECT and FETCH (RFC 3501 §6.4.5) ----------------------------------------------------------
    data = ok("SELECT INBOX", m.select("INBOX"))
    check("SELECT EXISTS", int(data[-1]), 3)
    items = "(FLAGS UID RFC822.SIZE ENVELOPE BODYSTRUCTURE BODY.PEEK[] BODY[HEADER.FIELDS (SUBJECT)] BODY[TEXT]<0.5>)"
    m.response("FETCH")
    f = fetches(ok("FETCH 1:2 " + items, m.fetch("1:2", items)))
    check("FETCH answers both messages", sorted(f), [1, 2])
    one, two = f.get(1, {}), f.get(2, {})
    with open(os.path.join(outdir, "fetch1.eml"), "wb") as out:
        out.write(one.get("BODY[]", b""))
    with open(os.path.join(outdir, "fetch2.eml"), "wb") as out:
        out.write(two.get("BODY[]", b""))
    check("UID 1", one.get("UID"), "1")
    check("RFC822.SIZE is the size of BODY[]", int(one.get("RFC822.SIZE", -1)), len(one.get("BODY[]", b"")))
    subject_key = next((k for k in one if k.startswith("BODY[HEADER.FIELDS")), None)
    check("BODY[HEADER.FIELDS (SUBJECT)] is echoed", subject_key is not None, True)
    if subject_key:
        check("BODY[HEADER.FIELDS (SUBJECT)]", one[subject_key], b"Subject: first\r\n\r\n")
    check("BODY[TEXT]<0.5>", one.get("BODY[TEXT]<0>"), b"Hello")
    env = one.get("ENVELOPE") or [None] * 10
    report["envelope1"] = [e if isinstance(e, (str, type(None))) else repr(e) for e in env]
    check("ENVELOPE subject", env[1], "first")
    check("ENVELOPE from", env[2], [["Alice", None, "alice", "remote.test"]])
    check("ENVELOPE message-id", env[9], "<first@remote.test>")
    bs = one.get("BODYSTRUCTURE") or []
    check("BODYSTRUCTURE 1 type", [str(x).lower() for x in bs[:2]], ["text", "plain"])
    bs = two.get("BODYSTRUCTURE") or []
    parts = []
    while len(parts) < len(bs) and isinstance(bs[len(parts)], list):  # RFC 3501 §7.4.2: 1*body SP subtype
        parts.append(bs[len(parts)])
    report["bodystructure2"] = repr(bs)
    check("BODYSTRUCTURE 2 parts", [(str(p[0]).lower(), str(p[1]).lower()) for p in parts[:2]],
          [("text", "plain"), ("text", "html")])
    check("BODYSTRUCTURE 2 subtype", str(bs[len(parts)]).lower() if len(bs) > len(parts) else None, "mixed")
    # BODY[TEXT] (not PEEK) set \Seen on both (RFC 3501 §6.4.5)
    f = fetches(ok("FETCH FLAGS", m.fetch("1:3", "(FLAGS)")))
    check("\\Seen after BODY[TEXT]", [flags(f[n]) for n in (1, 2)], [["\\Seen"], ["\\Seen"]])
    f = fetches(ok("FETCH BODY[1]", m.fetch("2", "(BODY.PEEK[1] BODY.PEEK[2.MIME])")))
    check("BODY[1] of the multipart", f[2].get("BODY[1]"), b"part one")
    check("BODY[2.MIME]", f[2].get("BODY[2.MIME]"), b"Content-Type: text/html\r\n\r\n")

    # UID FETCH of the appended message: its bytes and its internal date ---------------------------
    m.response("FETCH")
    f = fetches(ok("UID FETCH 3", m.uid("FETCH", "3", "(UID BODY.PEEK[] INTERNALDATE RFC822.SIZE)")))
    three = next(iter(f.values()), {})
    check("UID FETCH 3 UID", three.get("UID"), "3")
    check("UID FETCH 3 BODY[] is the appended message", three.get("BODY[]"), THIRD)
    check("UID FETCH 3 INTERNALDATE", three.get("INTERNALDATE"), "01-Jan-2020 12:00:00 +0000")
    check("UID FETCH 3 RFC822.SIZE", int(three.get("RFC822.SIZE", -1)), len(THIRD))
    check("UID FETCH of a missing UID is empty", m.uid("FETCH", "99", "(FLAGS)"), ("OK", [None]))

    # STORE (RFC 3501 §6.4.6) ------------------------------------------------------------------
    f = fetches(ok("STORE +FLAGS", m.store("2", "+FLAGS", r"(\Answered $Work)")))
    check("STORE +FLAGS answers the new flags", flags(f[2]), ["$Work", "\\Answered", "\\Seen"])
    f = fetches(ok("STORE -FLAGS", m.store("2", "-FLAGS", r"($Work \Seen)")))
    check("STORE -FLAGS", flags(f[2]), ["\\Answered"])
    m.response("FETCH")
    ok("STORE +FLAGS.SILENT", m.store("1", "+FLAGS.SILENT", r"(\Draft)"))
    check("STORE .SILENT sends no FETCH", m.response("FETCH")[1], [None])
    f = fetches(ok("UID STORE FLAGS", m.uid("STORE", "1", "FLAGS", r"(\Seen)")))
    check("UID STORE FLAGS replaces", [flags(v) for v in f.values()], [["\\Seen"]])

    # SEARCH (RFC 3501 §6.4.4) -------------------------------------------------------------------
    def search(*criteria):
        return nums(ok("SEARCH " + " ".join(criteria), m.search(None, *criteria)))

    def uid_search(*criteria):
        return nums(ok("UID SEARCH " + " ".join(criteria), m.uid("SEARCH", *criteria)))

    check("SEARCH ALL", search("ALL"), [1, 2, 3])
    check("SEARCH FLAGGED", search("FLAGGED"), [3])
    check("SEARCH UNSEEN", search("UNSEEN"), [2, 3])
    check("SEARCH ANSWERED", search("ANSWERED"), [2])
    check("SEARCH KEYWORD $Label1", search("KEYWORD", "$Label1"), [3])
    check("SEARCH SUBJECT second", search("SUBJECT", "second"), [2])
    check("SEARCH BODY \"part one\"", search("BODY", '"part one"'), [2])
    check("SEARCH TEXT lorem", search("TEXT", "lorem"), [3])
    check("SEARCH FROM alice", search("FROM", "alice"), [1])
    check("SEARCH SINCE 1-Jan-2021", search("SINCE", "1-Jan-2021"), [1, 2])
    check("SEARCH BEFORE 1-Jan-2021", search("BEFORE", "1-Jan-2021"), [3])
    check("SEARCH SENTBEFORE 1-Jan-2021", search("SENTBEFORE", "1-Jan-2021"), [3])
    check("SEARCH LARGER 230", search("LARGER", "230"), [2])
    check("SEARCH OR", search("OR", "SUBJECT", "first", "SUBJECT", "third"), [1, 3])
    check("SEARCH NOT", search("NOT", "SUBJECT", "first"), [2, 3])
    check("SEARCH 2:*", search("2:*"), [2, 3])
    check("SEARCH HEADER Message-ID", search("HEADER", "Message-ID", "<third@remote.test>"), [3])
    check("SEARCH CHARSET UTF-8", nums(ok("SEARCH CHARSET", m.search("UTF-8", "SUBJECT", "third"))), [3])
    check("UID SEARCH UID 2:*", uid_search("UID", "2:*"), [2, 3])
    check("UID SEARCH UID 1,3 NOT DELETED", uid_search("UID", "1,3", "NOT", "DELETED"), [1, 3])

    # COPY, UID MOVE (RFC 6851), EXPUNGE, UID EXPUNGE (RFC 4315), CLOSE -----------------------------
    data = ok("COPY 1 Work", m.copy("1", "Work"))
    report["copyuid"] = code(data, "COPYUID")
    check("COPYUID", (report["copyuid"] or [None])[1:], ["1", "1"])
    check("COPY to a missing mailbox", m.copy("1", "Nowhere")[0], "NO")
    m.response("EXPUNGE")
    m.response("COPYUID")
    ok("UID MOVE 2 Archive", m.uid("MOVE", "2", "Archive"))
    check("UID MOVE expunges message 2", m.response("EXPUNGE")[1], [b"2"])
    moved = m.response("COPYUID")[1]
    check("UID MOVE answers COPYUID", bool(moved and moved[0] and moved[0].split()[1:] == [b"2", b"1"]), True)
    check("STATUS Archive after MOVE", status(m, "Archive").get("MESSAGES"), 1)
    check("STATUS Work after COPY", status(m, "Work").get("MESSAGES"), 1)
    ok("STORE \\Deleted 1", m.store("1", "+FLAGS.SILENT", r"(\Deleted)"))
    check("EXPUNGE", ok("EXPUNGE", m.expunge()), [b"1"])
    check("SEARCH after EXPUNGE", search("ALL"), [1])
    data = ok("APPEND fourth", m.append("INBOX", r"(\Deleted)", None, FOURTH))
    fourth_uid = (code(data, "APPENDUID") or ["", "0"])[1]
    ok("NOOP after APPEND", m.noop())
    check("EXISTS after APPEND", m.response("EXISTS")[1][-1:], [b"2"])
    ok("STORE \\Deleted 3", m.uid("STORE", "3", "+FLAGS.SILENT", r"(\Deleted)"))
    m.response("EXPUNGE")
    ok("UID EXPUNGE " + fourth_uid, m.uid("EXPUNGE", fourth_uid))
    check("UID EXPUNGE removes only that UID", m.response("EXPUNGE")[1], [b"2"])
    ok("UID STORE -\\Deleted 3", m.uid("STORE", "3", "-FLAGS.SILENT", r"(\Deleted)"))
    ok("APPEND fifth", m.append("INBOX", r"(\Deleted \Seen)", None, FIFTH))
    ok("CHECK", m.check())
    ok("CLOSE", m.close())  # RFC 3501 §6.4.2: expunges the \Deleted fifth, silently
    check("STATUS INBOX after CLOSE", status(m, "INBOX").get("MESSAGES"), 1)

    # IDLE (RFC 2177), woken by an APPEND on a STARTTLS connection --------------------------------
    m.response("EXISTS")
    data = ok("SELECT INBOX for IDLE", m.select("INBOX"))
    exists = int(data[-1])
    s = imaplib.IMAP4(host, int(port), timeout=30)
    check("LOGINDISABLED before STARTTLS", "LOGINDISABLED" in s.capabilities, True)
    check("STARTTLS announced", "STARTTLS" in s.capabilities, True)
    ok("STARTTLS", s.starttls(ssl_context=ctx))
    check("AUTH=PLAIN after STARTTLS", "AUTH=PLAIN" in s.capabilities, True)
    ok("AUTHENTICATE PLAIN", s.authenticate("PLAIN", lambda _: ("\0%s\0%s" % (user, password)).encode()))
    check("STATUS over STARTTLS", status(s, "INBOX").get("MESSAGES"), 1)
    tag = m._new_tag()
    m.send(tag + b" IDLE\r\n")
    check("IDLE continuation", m.readline()[:1], b"+")
    ok("APPEND while idling", s.append("INBOX", None, None, IDLED))
    wake = m.readline()
    check("IDLE announces the new message", wake.strip(), b"* %d EXISTS" % (exists + 1))
    m.send(b"DONE\r\n")
    typ, _ = m._command_complete("IDLE", tag)
    check("IDLE ends OK", typ, "OK")

    # UNSELECT, EXAMINE over STARTTLS, LOGOUT -----------------------------------------------------
    ok("SELECT Archive", s.select("Archive"))
    f = fetches(ok("FETCH Archive", s.fetch("1", "(UID FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])")))
    moved_msg = f.get(1, {})
    check("moved message keeps its flags", flags(moved_msg) if moved_msg else None, ["\\Answered"])
    ok("UNSELECT", s.unselect())
    check("LOGOUT STARTTLS", s.logout()[0], "BYE")
    check("LOGOUT", m.logout()[0], "BYE")


try:
    run()
except Exception as e:  # a protocol error or a hang: say where
    report["error"] = "%s: %s" % (type(e).__name__, e)
    report["trace"] = traceback.format_exc()
print(json.dumps(report))
