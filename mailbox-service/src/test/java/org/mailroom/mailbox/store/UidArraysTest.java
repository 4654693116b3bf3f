package org.mailroom.mailbox.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.buffer.Buffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class UidArraysTest {

    /** What PostgreSQL's array_send makes of a bigint[] (checked: array_send(ARRAY[5::bigint, 7])). */
    private static Buffer sent(long... values) {
        Buffer b = Buffer.buffer();
        if (values.length == 0) {
            return b.appendInt(0).appendInt(0).appendInt(20);
        }
        b.appendInt(1).appendInt(0).appendInt(20).appendInt(values.length).appendInt(1);
        for (long v : values) {
            b.appendInt(8).appendLong(v);
        }
        return b;
    }

    @Test
    void theBytesOfPostgresqlAreRead() {
        Buffer hex = Buffer.buffer(java.util.HexFormat.of().parseHex(
                "0000000100000000000000140000000200000001000000080000000000000005000000080000000000000007"));
        assertArrayEquals(new long[] {5, 7}, UidArrays.concat(List.of(hex)));
    }

    @Test
    void pagesAreJoinedInOrderAndEmptyOrNullPagesAddNothing() {
        assertArrayEquals(new long[] {1, 2, 4, 4294967295L}, UidArrays.concat(Arrays.asList(sent(1, 2), null, sent(4), sent(),
                sent(4294967295L))));
        assertArrayEquals(new long[0], UidArrays.concat(List.of(sent())));
        assertArrayEquals(new long[0], UidArrays.concat(List.of()));
    }

    @Test
    void aPageTellsItsCountAndLastUid() {
        assertEquals(3, UidArrays.count(sent(4, 9, 12)));
        assertEquals(12, UidArrays.last(sent(4, 9, 12)));
        assertEquals(0, UidArrays.count(sent()));
        assertThrows(IllegalArgumentException.class, () -> UidArrays.last(sent()));
    }

    @Test
    void anythingButAOneDimensionalBigintArrayIsRefused() {
        Buffer ints = Buffer.buffer().appendInt(1).appendInt(0).appendInt(23).appendInt(1).appendInt(1).appendInt(4).appendInt(5);
        assertThrows(IllegalStateException.class, () -> UidArrays.concat(List.of(ints)));
        Buffer withNull = Buffer.buffer().appendInt(1).appendInt(1).appendInt(20).appendInt(1).appendInt(1).appendInt(-1)
                .appendLong(0);
        assertThrows(IllegalStateException.class, () -> UidArrays.concat(List.of(withNull)));
        Buffer cut = sent(1, 2, 3).getBuffer(0, 40);
        assertThrows(IllegalStateException.class, () -> UidArrays.concat(List.of(cut)));
    }
}
