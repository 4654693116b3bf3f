"""Drives the POP3 listeners with Python's poplib: STLS on the plain port, then implicit TLS.

Usage: poplib_check.py HOST PORT TLS_PORT USER PASSWORD CAFILE OUTDIR
Writes OUTDIR/retr1.eml (message 1 as poplib returns it, CRLF-joined) and prints one JSON object.
"""
import json
import os
import poplib
import ssl
import sys

host, port, tls_port, user, password, cafile, outdir = sys.argv[1:8]
ctx = ssl.create_default_context(cafile=cafile)
ctx.check_hostname = False  # we connect to 127.0.0.1; the certificate is for localhost
result = {}

# Plain port, upgraded with STLS (RFC 2595), login, read, delete message 1.
p = poplib.POP3(host, int(port), timeout=20)
result["capa"] = sorted(p.capa().keys())
p.stls(context=ctx)
p.user(user)
p.pass_(password)
count, size = p.stat()
result["stat"] = [count, size]
result["uidl"] = [x.decode() for x in p.uidl()[1]]
resp, lines, octets = p.retr(1)
with open(os.path.join(outdir, "retr1.eml"), "wb") as f:
    f.write(b"\r\n".join(lines) + b"\r\n")
result["top"] = [x.decode() for x in p.top(1, 0)[1]]
p.dele(1)
result["quit"] = p.quit().decode()

# Implicit TLS (RFC 8314): what is left.
s = poplib.POP3_SSL(host, int(tls_port), context=ctx, timeout=20)
s.user(user)
s.pass_(password)
result["after"] = list(s.stat())
result["uidl_after"] = [x.decode() for x in s.uidl()[1]]
s.quit()
print(json.dumps(result))
