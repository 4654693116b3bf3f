package org.mailroom.mailbox.store;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Reads a large part of a blob in slices of {@link #SLICE} octets, each its own statement, into one
 * array. One row of a whole large message is what the PostgreSQL client handles worst: it gathers
 * a response that spans many network reads in a buffer that it copies whole every 16 reads, so the
 * copies grow with the square of the row (a 21 MB message: about 230 MB copied, and an
 * OutOfMemoryError in a 192 MiB heap). Slices of 2 MiB are gathered with next to no copying; the
 * array is the one copy held. Blobs are never changed or deleted once written, so the slices are
 * of one value without a transaction.
 */
final class BlobSlices {

    /** Octets per statement; a part no larger is read in the statement that finds it. */
    static final int SLICE = 2 * 1024 * 1024;

    private static final String READ = "SELECT substring(content FROM $2 FOR $3) FROM mailbox.blobs WHERE sha256 = $1";

    private BlobSlices() {
    }

    /** The first {@code length} octets of the blob. */
    static Uni<byte[]> read(Pool pool, byte[] sha256, long length) {
        if (length > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a part of " + length + " octets does not fit in an array");
        }
        byte[] out = new byte[(int) length];
        return next(pool, Buffer.buffer(sha256), out, 0).replaceWith(out);
    }

    private static Uni<Void> next(Pool pool, Buffer sha256, byte[] out, int done) {
        if (done >= out.length) {
            return Uni.createFrom().voidItem();
        }
        int n = Math.min(SLICE, out.length - done);
        return pool.preparedQuery(READ).execute(Tuple.of(sha256, done + 1, n)).chain(rows -> {
            Buffer slice = rows.size() == 0 ? null : rows.iterator().next().getBuffer(0).getDelegate();
            if (slice == null || slice.length() != n) {
                throw new IllegalStateException("blob " + java.util.HexFormat.of().formatHex(sha256.getBytes())
                        + " holds " + (slice == null ? "nothing" : slice.length() + " octets") + " at " + done
                        + ", not the " + n + " expected");
            }
            slice.getBytes(0, n, out, done);
            return next(pool, sha256, out, done + n);
        });
    }
}
