package org.mailroom.mailbox.imap.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Literals are read only with memory reserved for them, and every reservation is given back. */
class FramerMemoryTest {

    /** A budget of {@code capacity} octets that counts what is out. */
    static final class Budget implements ImapFramer.LiteralMemory {
        long available;

        Budget(long capacity) {
            available = capacity;
        }

        @Override
        public boolean tryReserve(long octets) {
            if (available < octets) {
                return false;
            }
            available -= octets;
            return true;
        }

        @Override
        public void release(long octets) {
            available += octets;
        }
    }

    private static List<FramerEvent> feed(ImapFramer framer, String wire) {
        return framer.feed(wire.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void anAcceptedLiteralIsHeldByItsCommandUntilTheHandlerReleasesIt() {
        Budget budget = new Budget(100);
        ImapFramer framer = new ImapFramer(1000, 1000, 10_000, budget);
        List<FramerEvent> events = feed(framer, "a APPEND INBOX {10+}\r\n0123456789\r\n");
        FramerEvent.Command command = assertInstanceOf(FramerEvent.Command.class, events.get(0));
        assertEquals(10, command.heldOctets());
        assertEquals(90, budget.available);
        budget.release(command.heldOctets());
        assertEquals(100, budget.available);
    }

    @Test
    void aSynchronisingLiteralBeyondTheMemoryIsRefusedWithoutAContinuation() {
        Budget budget = new Budget(5);
        ImapFramer framer = new ImapFramer(1000, 1000, 10_000, budget);
        List<FramerEvent> events = feed(framer, "a APPEND INBOX {10}\r\n");
        FramerEvent.TooBig refused = assertInstanceOf(FramerEvent.TooBig.class, events.get(0));
        assertEquals(1, events.size(), "no continuation: the client sends no octets");
        assertEquals("a NO [UNAVAILABLE] server busy, literal refused; try again", refused.replyLine());
        assertInstanceOf(FramerEvent.Command.class, feed(framer, "b NOOP\r\n").get(0), "the stream goes on");
        assertEquals(5, budget.available);
    }

    @Test
    void aLiteralPlusBeyondTheMemoryIsSkippedAndTheNextCommandComesThrough() {
        Budget budget = new Budget(5);
        ImapFramer framer = new ImapFramer(1000, 1000, 10_000, budget);
        List<FramerEvent> events = feed(framer, "a APPEND INBOX {10+}\r\n0123456789\r\nb NOOP\r\n");
        assertEquals(2, events.size());
        assertEquals(FramerEvent.Limit.MEMORY, assertInstanceOf(FramerEvent.TooBig.class, events.get(0)).limit());
        FramerEvent.Command next = assertInstanceOf(FramerEvent.Command.class, events.get(1));
        assertEquals("b NOOP", next.command().firstLine());
        assertEquals(5, budget.available);
    }

    @Test
    void aCommandRefusedAtItsSecondLiteralGivesTheFirstBack() {
        Budget budget = new Budget(15);
        ImapFramer framer = new ImapFramer(1000, 1000, 10_000, budget);
        List<FramerEvent> events = feed(framer, "a LOGIN {10+}\r\n0123456789 {10+}\r\n0123456789\r\n");
        assertEquals(FramerEvent.Limit.MEMORY, assertInstanceOf(FramerEvent.TooBig.class, events.get(0)).limit());
        assertEquals(15, budget.available, "the first literal's ten octets are back");
    }

    @Test
    void closingInTheMiddleOfALiteralGivesItBack() {
        Budget budget = new Budget(100);
        ImapFramer framer = new ImapFramer(1000, 1000, 10_000, budget);
        assertTrue(feed(framer, "a APPEND INBOX {50+}\r\n01234").isEmpty());
        assertEquals(50, budget.available);
        framer.close();
        assertEquals(100, budget.available);
        assertTrue(feed(framer, "56789\r\n").isEmpty(), "nothing is read after close");
    }
}
