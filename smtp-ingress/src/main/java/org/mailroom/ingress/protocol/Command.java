package org.mailroom.ingress.protocol;

import java.util.Set;
import org.mailroom.core.event.Envelope;
import org.mailroom.core.event.Recipient;
import org.mailroom.core.smtp.Reply;

/** An SMTP command as {@link CommandParser} read it (RFC 5321 §4.1.1 and the extensions). */
public sealed interface Command {

    /** The verb, for metrics and logs. */
    String verb();

    record Helo(String domain) implements Command {
        public String verb() {
            return "HELO";
        }
    }

    record Ehlo(String domain) implements Command {
        public String verb() {
            return "EHLO";
        }
    }

    /**
     * MAIL FROM with its parameters.
     *
     * @param reversePath the address, empty for {@code <>}
     * @param size        RFC 1870 SIZE, or -1
     */
    record Mail(String reversePath, long size, Envelope.Body body, boolean smtpUtf8, Envelope.Ret ret, String envid)
            implements Command {
        public String verb() {
            return "MAIL";
        }
    }

    /** RCPT TO with RFC 3461 NOTIFY (null when absent) and ORCPT. */
    record Rcpt(String forwardPath, Set<Recipient.Notify> notifyOn, String orcpt) implements Command {
        public String verb() {
            return "RCPT";
        }
    }

    record Data() implements Command {
        public String verb() {
            return "DATA";
        }
    }

    /** RFC 3030 BDAT chunk-size [LAST]. */
    record Bdat(long size, boolean last) implements Command {
        public String verb() {
            return "BDAT";
        }
    }

    record Rset() implements Command {
        public String verb() {
            return "RSET";
        }
    }

    record Noop() implements Command {
        public String verb() {
            return "NOOP";
        }
    }

    record Quit() implements Command {
        public String verb() {
            return "QUIT";
        }
    }

    record Vrfy(String argument) implements Command {
        public String verb() {
            return "VRFY";
        }
    }

    record Expn(String argument) implements Command {
        public String verb() {
            return "EXPN";
        }
    }

    record Help(String topic) implements Command {
        public String verb() {
            return "HELP";
        }
    }

    record StartTls() implements Command {
        public String verb() {
            return "STARTTLS";
        }
    }

    /** RFC 4954 AUTH mechanism [initial-response]; the response is base64 as sent, or "=" for empty. */
    record Auth(String mechanism, String initialResponse) implements Command {
        public String verb() {
            return "AUTH";
        }
    }

    /** A line that is not a valid command: the reply says why. */
    record Invalid(String verb, Reply reply) implements Command {}
}
