package org.mailroom.mailbox.imap.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.PrimitiveIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SequenceSetTest {

    private static SequenceSet set(String text) {
        return SequenceSet.parse(text).orElseThrow();
    }

    private static List<Long> numbers(SequenceSet set, long max) {
        List<Long> out = new ArrayList<>();
        PrimitiveIterator.OfLong it = set.iterator(max);
        while (it.hasNext()) {
            out.add(it.nextLong());
        }
        return out;
    }

    @Test
    void rangesInEitherOrderAndStar() {
        assertEquals(List.of(2L, 3L, 4L), numbers(set("4:2"), 10));
        assertEquals(List.of(8L, 9L, 10L), numbers(set("8:*"), 10));
        assertEquals(List.of(8L, 9L, 10L), numbers(set("*:8"), 10));
        assertEquals(List.of(10L), numbers(set("*"), 10));
        assertEquals(List.of(1L, 3L, 4L, 5L, 6L, 7L), numbers(set("5:7,1,3:4,6"), 10));
        assertEquals(List.of(), numbers(set("20:30"), 10));
        assertEquals(List.of(5L), numbers(set("5:30"), 5));
        assertEquals(List.of(), numbers(set("1:*"), 0));
    }

    @Test
    void contains() {
        SequenceSet s = set("1,3:5,9:*");
        assertTrue(s.contains(1, 10));
        assertFalse(s.contains(2, 10));
        assertTrue(s.contains(4, 10));
        assertTrue(s.contains(10, 10));
        assertFalse(s.contains(11, 10));
        // RFC 3501 §9: "*:4" with 3 messages is 3:4, so it contains 3
        assertTrue(set("*:4").contains(3, 3));
        assertTrue(set("*:4").contains(4, 3));
    }

    @Test
    void wireForm() {
        assertEquals("1,3:5,9:*", set("1,3:5,9:*").toString());
        assertEquals(9, set("1,3:5,9:*").largestExplicit());
        assertTrue(set("9:*").usesStar());
        assertFalse(set("9").usesStar());
    }

    @Test
    void hugeRangesIterateLazily() {
        PrimitiveIterator.OfLong it = set("1:4294967295").iterator(4294967295L);
        assertEquals(1, it.nextLong());
        assertEquals(2, it.nextLong());
        assertEquals(1, set("1:4294967295,7").intervals(4294967295L).size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "1:0", "01", ",1", "1,", "1::2", "1:2:3", "**", "1:*:2", "x", "4294967296", "-1", "1 2"})
    void malformed(String text) {
        assertEquals(Optional.empty(), SequenceSet.parse(text));
    }
}
