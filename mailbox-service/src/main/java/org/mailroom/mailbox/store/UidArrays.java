package org.mailroom.mailbox.store;

import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * Reads UIDs sent by PostgreSQL as {@code array_send(bigint[])}: the array's binary form (a header
 * of ndim, flags, element type, then per dimension its length and lower bound; then per element
 * its length and eight octets, big-endian). Straight into a {@code long[]}: decoding a bigint[]
 * column boxes every element, a {@code Long} per message. Pure.
 */
final class UidArrays {

    private static final int INT8_OID = 20;
    private static final int HEADER = 20;
    private static final int STRIDE = 12;

    private UidArrays() {
    }

    /** The UIDs of the parts in order, one array; a null part is an empty one. */
    static long[] concat(List<Buffer> parts) {
        int total = 0;
        for (Buffer part : parts) {
            total = Math.addExact(total, count(part));
        }
        long[] out = new long[total];
        int n = 0;
        for (Buffer part : parts) {
            int count = count(part);
            for (int i = 0, at = HEADER; i < count; i++, at += STRIDE) {
                if (part.getInt(at) != 8) {
                    throw new IllegalStateException("a UID array holds a NULL or a value that is not a bigint");
                }
                out[n++] = part.getLong(at + 4);
            }
        }
        return out;
    }

    /** The last UID of a part that holds any. */
    static long last(Buffer part) {
        int count = count(part);
        if (count == 0) {
            throw new IllegalArgumentException("an empty UID array has no last UID");
        }
        return part.getLong(HEADER + (count - 1) * STRIDE + 4);
    }

    /** How many UIDs a part holds. */
    static int count(Buffer part) {
        if (part == null || part.getInt(0) == 0) { // NULL, or an empty array: ndim 0, no dimensions follow
            return 0;
        }
        if (part.getInt(0) != 1 || part.getInt(8) != INT8_OID) {
            throw new IllegalStateException("not a one-dimensional bigint array: ndim " + part.getInt(0)
                    + ", element type " + part.getInt(8));
        }
        int count = part.getInt(12);
        if (part.length() != HEADER + (long) count * STRIDE) {
            throw new IllegalStateException("a UID array of " + count + " elements is " + part.length() + " octets");
        }
        return count;
    }
}
