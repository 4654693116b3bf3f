package org.mailroom.mailbox.imap.response;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** Test messages and helpers: lines are joined with CRLF. */
final class Messages {

    private Messages() {
    }

    static byte[] crlf(String... lines) {
        return String.join("\r\n", lines).getBytes(StandardCharsets.UTF_8);
    }

    static String render(Consumer<Buffer> writer) {
        Buffer out = Buffer.buffer();
        writer.accept(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    static final byte[] PLAIN = crlf(
            "Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)",
            "From: Fred Foobar <foobar@Blurdybloop.example>",
            "Subject: afternoon meeting",
            "To: mooch@owatagu.siam.edu.example",
            "Message-Id: <B27397-0100000@Blurdybloop.example>",
            "MIME-Version: 1.0",
            "Content-Type: TEXT/PLAIN; CHARSET=US-ASCII",
            "",
            "Hello Joe, do you think we can meet at 3:30 tomorrow?",
            "");

    static final byte[] ALTERNATIVE = crlf(
            "From: a@example.com",
            "Subject: alt",
            "Content-Type: multipart/alternative; boundary=\"b1\"",
            "",
            "preamble",
            "--b1",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: quoted-printable",
            "",
            "Gr=C3=BC=C3=9Fe aus K=C3=B6ln",
            "",
            "--b1",
            "Content-Type: text/html; charset=utf-8",
            "",
            "<p>Hi</p>",
            "--b1--",
            "epilogue",
            "");

    static final byte[] MIXED = crlf(
            "From: \"Doe, Jane\" <jane@example.com>",
            "To: Team: joe@example.com, \"Ann\" <ann@example.com>;, bob@example.com",
            "Subject: =?UTF-8?Q?R=C3=A9sum=C3=A9?=",
            "Content-Type: multipart/mixed; boundary=outer",
            "",
            "--outer",
            "Content-Type: text/plain",
            "",
            "See attached.",
            "--outer",
            "Content-Type: application/pdf; name=\"cv.pdf\"",
            "Content-Transfer-Encoding: base64",
            "Content-Disposition: attachment; filename=\"cv.pdf\"",
            "Content-ID: <cv@example.com>",
            "Content-Language: en, fr",
            "",
            "JVBERi0xLjQK",
            "--outer--",
            "");

    /** A mixed message whose second part is an encapsulated multipart message. */
    static final byte[] NESTED = crlf(
            "From: outer@example.com",
            "Subject: fwd",
            "Content-Type: multipart/mixed; boundary=\"o\"",
            "",
            "--o",
            "Content-Type: text/plain",
            "",
            "Forwarded:",
            "--o",
            "Content-Type: message/rfc822",
            "",
            "From: inner@example.com",
            "Subject: inner",
            "Content-Type: multipart/alternative; boundary=\"i\"",
            "",
            "--i",
            "Content-Type: text/plain",
            "",
            "inner text",
            "--i",
            "Content-Type: text/html",
            "",
            "<b>inner</b>",
            "--i--",
            "",
            "--o--",
            "");
}
