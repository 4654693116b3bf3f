#!/usr/bin/env python3
"""Waits until a POP3 maildrop holds a message whose body contains MARKER, prints it raw (RETR),
then deletes it (DELE, QUIT) when --delete is given. Exits 1 if it never shows up.
With --absent it looks once and exits 0 when no message holds MARKER, 1 when one does.

usage: pop3_fetch.py HOST PORT USER PASSWORD MARKER OUTFILE [--ssl] [--delete] [--absent]
Without --ssl it connects in clear and upgrades with STLS before logging in.
"""
import poplib
import ssl
import sys
import time

host, port, user, password, marker, outfile = sys.argv[1:7]
use_ssl = "--ssl" in sys.argv
delete = "--delete" in sys.argv
absent = "--absent" in sys.argv
deadline = time.time() + 60
last_error = None
while time.time() < deadline:
    try:
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        if use_ssl:
            box = poplib.POP3_SSL(host, int(port), context=ctx, timeout=20)
        else:
            box = poplib.POP3(host, int(port), timeout=20)
            box.stls(context=ctx)  # RFC 2595: no password in clear text
        box.user(user)
        box.pass_(password)
        count, _ = box.stat()
        for i in range(1, count + 1):
            _, lines, _ = box.retr(i)
            raw = b"\r\n".join(lines) + b"\r\n"
            if marker.encode() in raw:
                if absent:
                    box.quit()
                    print("still there: message", i, "of", count)
                    sys.exit(1)
                with open(outfile, "wb") as f:
                    f.write(raw)
                if delete:
                    box.dele(i)
                box.quit()
                print("found message", i, "of", count)
                sys.exit(0)
        box.quit()
        if absent:
            print("absent from", count, "messages")
            sys.exit(0)
    except Exception as e:  # the account or the message may not be there yet
        last_error = e
    time.sleep(0.5)
print("not found; last error:", last_error)
sys.exit(1)
