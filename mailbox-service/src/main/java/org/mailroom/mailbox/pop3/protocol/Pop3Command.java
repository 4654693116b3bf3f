package org.mailroom.mailbox.pop3.protocol;

/** The POP3 commands (RFC 1939, RFC 2449 CAPA, RFC 2595 STLS, RFC 5034 AUTH), parsed. */
public sealed interface Pop3Command {

    /** The command keyword, upper case, as metrics label it. */
    String verb();

    record User(String name) implements Pop3Command {
        public String verb() { return "USER"; }
    }

    record Pass(String password) implements Pop3Command {
        public String verb() { return "PASS"; }
    }

    /** RFC 5034: {@code initialResponse} is null when absent, "=" stands for an empty one. */
    record Auth(String mechanism, String initialResponse) implements Pop3Command {
        public String verb() { return "AUTH"; }
    }

    record Stat() implements Pop3Command {
        public String verb() { return "STAT"; }
    }

    /** {@code message} 0 lists them all. */
    record ListCmd(int message) implements Pop3Command {
        public String verb() { return "LIST"; }
    }

    record Uidl(int message) implements Pop3Command {
        public String verb() { return "UIDL"; }
    }

    record Retr(int message) implements Pop3Command {
        public String verb() { return "RETR"; }
    }

    record Top(int message, int lines) implements Pop3Command {
        public String verb() { return "TOP"; }
    }

    record Dele(int message) implements Pop3Command {
        public String verb() { return "DELE"; }
    }

    record Noop() implements Pop3Command {
        public String verb() { return "NOOP"; }
    }

    record Rset() implements Pop3Command {
        public String verb() { return "RSET"; }
    }

    record Quit() implements Pop3Command {
        public String verb() { return "QUIT"; }
    }

    record Capa() implements Pop3Command {
        public String verb() { return "CAPA"; }
    }

    record Stls() implements Pop3Command {
        public String verb() { return "STLS"; }
    }

    /** Not a valid command: the reply says why. */
    record Invalid(String verb, Pop3Reply reply) implements Pop3Command {}
}
