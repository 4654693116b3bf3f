package org.mailroom.mailbox.imap.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mailroom.mailbox.store.MessageFlags;
import org.mailroom.mailbox.store.MessageRow;

class ChunkedRowsTest {

    private static MessageRow row(long uid, long size) {
        return new MessageRow(uid, MessageFlags.NONE, null, size, 1, null);
    }

    @Test
    void bodiesAreReadInGroupsThatFitTheLimitAndABigOneAlone() {
        List<long[]> groups = ChunkedRows.groups(List.of(row(1, 40), row(2, 50), row(3, 20), row(4, 500), row(5, 10)), 100);
        assertEquals(4, groups.size());
        assertArrayEquals(new long[] {1, 2}, groups.get(0));
        assertArrayEquals(new long[] {3}, groups.get(1), "the next one would cross the limit");
        assertArrayEquals(new long[] {4}, groups.get(2), "larger than the limit: alone");
        assertArrayEquals(new long[] {5}, groups.get(3));
        assertEquals(0, ChunkedRows.groups(List.of(), 100).size());
    }
}
