#!/usr/bin/env python3
"""Sends one message with Python's smtplib, as a real client would.

usage: smtplib_send.py HOST PORT MODE FROM TO MESSAGE_FILE [USER PASSWORD]
MODE: plain (MX), starttls (submission: STARTTLS then AUTH), ssl (submissions: implicit TLS then AUTH).
Prints the server's final reply; exits 1 on any SMTP error.
"""
import smtplib
import ssl
import sys

host, port, mode, sender, rcpt, path = sys.argv[1:7]
user, password = (sys.argv[7], sys.argv[8]) if len(sys.argv) > 8 else (None, None)
with open(path, "rb") as f:
    message = f.read()
context = ssl.create_default_context()
context.check_hostname = False
context.verify_mode = ssl.CERT_NONE
try:
    if mode == "ssl":
        client = smtplib.SMTP_SSL(host, int(port), context=context, timeout=20)
    else:
        client = smtplib.SMTP(host, int(port), timeout=20)
    with client:
        client.ehlo("smtplib.example")
        if mode == "starttls":
            client.starttls(context=context)
            client.ehlo("smtplib.example")
        if user:
            client.login(user, password)
        refused = client.sendmail(sender, [rcpt], message)
        if refused:
            print("refused:", refused)
            sys.exit(1)
        print("sent")
except smtplib.SMTPException as e:
    print("smtp error:", e)
    sys.exit(1)
