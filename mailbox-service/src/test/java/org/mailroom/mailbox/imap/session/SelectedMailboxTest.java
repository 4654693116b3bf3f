package org.mailroom.mailbox.imap.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.TreeSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mailroom.mailbox.imap.parse.SequenceSet;

class SelectedMailboxTest {

    private static SelectedMailbox box(long... uids) {
        return new SelectedMailbox(1, "INBOX", false, 7, 4, uids, 10, uids.length == 0 ? 1 : uids[uids.length - 1] + 1);
    }

    private static SequenceSet set(String text) {
        return SequenceSet.parse(text).orElseThrow();
    }

    @Test
    void sequenceNumbersMapToUidsAndBack() {
        SelectedMailbox b = box(2, 4, 9, 10);
        assertEquals(4, b.count());
        assertEquals(9, b.uid(3));
        assertEquals(3, b.seq(9));
        assertEquals(0, b.seq(5), "unknown UID");
        assertArrayEquals(new long[] {4, 9, 10}, b.resolve(set("2:*"), false));
        assertArrayEquals(new long[] {2, 10}, b.resolve(set("4,1"), false));
        assertTrue(b.validSequence(set("1:4")));
        assertFalse(b.validSequence(set("5")), "RFC 3501 §9: beyond the mailbox is an error");
    }

    @Test
    void uidSetsIgnoreMissingUidsAndStarIsTheHighest() {
        SelectedMailbox b = box(2, 4, 9, 10);
        assertArrayEquals(new long[] {4, 9}, b.resolve(set("3:9"), true));
        assertArrayEquals(new long[] {10}, b.resolve(set("11:*"), true), "RFC 3501 §6.4.8: n:* includes the highest UID");
        assertArrayEquals(new long[0], b.resolve(set("5:8"), true));
        assertArrayEquals(new long[0], box().resolve(set("1:*"), true));
    }

    @Test
    void expungeShiftsTheNumbersOfLaterMessages() {
        SelectedMailbox b = box(2, 4, 9, 10);
        assertEquals(2, b.expunge(4));
        assertEquals(0, b.expunge(4), "already gone");
        assertEquals(2, b.seq(9));
        assertEquals(3, b.count());
        assertEquals(4, b.add(12));
        assertEquals(12, b.maxUid());
        assertEquals(13, b.uidNext());
    }

    @Test
    void recentIsFromTheFirstClaimedUid() {
        SelectedMailbox b = box(2, 4, 9, 10);
        assertFalse(b.recent(2));
        assertTrue(b.recent(4));
        assertEquals(3, b.recentCount());
    }

    @Test
    void recentRangesClaimedLaterAddUpAndMerge() {
        SelectedMailbox b = new SelectedMailbox(1, "INBOX", false, 7, 3, 5, new long[] {1, 2, 3, 4}, 10, 5);
        b.add(5);
        b.add(6);
        b.add(8);
        b.addRecent(6, 7); // 5 went to another session
        b.addRecent(8, 9);
        assertEquals(List.of(false, false, true, true, false, true, false, true),
                java.util.stream.LongStream.rangeClosed(1, 8).mapToObj(b::recent).toList());
        assertEquals(4, b.recentCount()); // 3, 4, 6, 8 (7 does not exist)
        b.addRecent(9, 12);
        assertEquals(3, b.recentRanges().length, "8..9 and 9..12 merged");
        b.expunge(4);
        assertEquals(3, b.recentCount());
        assertFalse(b.recent(12));
    }

    @Test
    void ownChangesAreAbsorbedOnlyWhenNothingElseHappenedBetween() {
        SelectedMailbox b = box(1);
        b.absorb(11);
        assertEquals(11, b.knownModseq());
        b.absorb(13); // 12 was someone else's: the next look must still see it
        assertEquals(11, b.knownModseq());
    }

    @Test
    void resolveAgreesWithContainsOnRandomSets() {
        Random random = new Random(42);
        for (int round = 0; round < 500; round++) {
            TreeSet<Long> uids = new TreeSet<>();
            int n = random.nextInt(30);
            while (uids.size() < n) {
                uids.add(1L + random.nextInt(60));
            }
            long[] array = uids.stream().mapToLong(Long::longValue).toArray();
            SelectedMailbox b = box(array);
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < 1 + random.nextInt(4); i++) {
                if (text.length() > 0) {
                    text.append(',');
                }
                String from = random.nextInt(8) == 0 ? "*" : Integer.toString(1 + random.nextInt(70));
                text.append(from);
                if (random.nextBoolean()) {
                    text.append(':').append(random.nextInt(8) == 0 ? "*" : Integer.toString(1 + random.nextInt(70)));
                }
            }
            SequenceSet s = set(text.toString());
            long max = array.length == 0 ? 0 : array[array.length - 1];
            long[] byUid = b.resolve(s, true);
            long[] expectedUid = uids.stream().filter(u -> s.contains(u, max)).mapToLong(Long::longValue).toArray();
            assertArrayEquals(expectedUid, byUid, text.toString());
            long[] bySeq = b.resolve(s, false);
            long[] expectedSeq = java.util.stream.IntStream.rangeClosed(1, array.length)
                    .filter(q -> s.contains(q, array.length)).mapToLong(q -> array[q - 1]).toArray();
            assertArrayEquals(expectedSeq, bySeq, text.toString());
        }
    }
}
