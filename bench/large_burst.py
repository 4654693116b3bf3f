#!/usr/bin/env python3
"""Sends CLIENTS messages of SIZE_MIB MiB at once over SMTP (smtplib, SIZE declared) and prints
each client's outcome: 'ok' (250), or the refusal (452 4.3.1 when the ingress's body budget is
spent). A check that many large messages at once are accepted or refused for later, never lost
and never fatal to a service; watch `grep -c OutOfMemory .mailroom/logs/*.log` around it.

usage: bench/large_burst.py RCPT [CLIENTS=6] [SIZE_MIB=24] [PORT=2525]
"""
import base64
import os
import smtplib
import sys
import threading
import time

rcpt = sys.argv[1]
clients = int(sys.argv[2]) if len(sys.argv) > 2 else 6
size = (int(sys.argv[3]) if len(sys.argv) > 3 else 24) << 20
port = int(sys.argv[4]) if len(sys.argv) > 4 else 2525
lines, n = [], 0
while n < size:
    line = base64.b64encode(os.urandom(57)).decode()
    lines.append(line)
    n += len(line) + 2
body = "\r\n".join(lines) + "\r\n"
results = {}


def send(i):
    msg = "From: burst@example.org\r\nTo: %s\r\nSubject: burst %d\r\n\r\n%s" % (rcpt, i, body)
    start = time.time()
    try:
        s = smtplib.SMTP("127.0.0.1", port, timeout=300)
        s.ehlo("burst.example.org")
        s.sendmail("burst@example.org", [rcpt], msg)
        s.quit()
        results[i] = "ok"
    except Exception as e:  # the refusal is the result
        results[i] = repr(e)[:120]
    results[i] = "%s (%.1f s)" % (results[i], time.time() - start)


threads = [threading.Thread(target=send, args=(i,)) for i in range(clients)]
for t in threads:
    t.start()
for t in threads:
    t.join()
for i in sorted(results):
    print(i, results[i])
print("accepted:", sum(1 for r in results.values() if r.startswith("ok")), "of", clients)
