package org.mailroom.mailbox.imap.session;

import java.util.Arrays;
import org.mailroom.mailbox.imap.parse.SequenceSet;

/**
 * What one session knows of its selected mailbox (RFC 3501 §2.3.1.2): the UIDs it has announced,
 * in order, so message sequence numbers stay what the client was told until it is told otherwise
 * (an EXPUNGE or EXISTS response), whatever other sessions do meanwhile. Pure.
 */
public final class SelectedMailbox {

    private final long id;
    private final String name;
    private final boolean readOnly;
    private final long uidValidity;
    private final long recentFrom;
    private long[] uids;
    private int count;
    private long knownModseq;
    private long uidNext;

    public SelectedMailbox(long id, String name, boolean readOnly, long uidValidity, long recentFrom, long[] uids,
            long knownModseq, long uidNext) {
        this.id = id;
        this.name = name;
        this.readOnly = readOnly;
        this.uidValidity = uidValidity;
        this.recentFrom = recentFrom;
        this.uids = uids.clone();
        this.count = uids.length;
        this.knownModseq = knownModseq;
        this.uidNext = uidNext;
    }

    public long id() {
        return id;
    }

    public String name() {
        return name;
    }

    public boolean readOnly() {
        return readOnly;
    }

    public long uidValidity() {
        return uidValidity;
    }

    public int count() {
        return count;
    }

    public long knownModseq() {
        return knownModseq;
    }

    /** Everything up to {@code modseq} has been told to the client. */
    public void knownModseq(long modseq) {
        this.knownModseq = Math.max(knownModseq, modseq);
    }

    /**
     * The session's own change got {@code modseq}: when nothing else happened since the last look
     * (it is the next modseq), the client already knows all there is, and a later look will not echo
     * the change back. Otherwise the look will tell both.
     */
    public void absorb(long modseq) {
        if (modseq == knownModseq + 1) {
            knownModseq = modseq;
        }
    }

    public long uidNext() {
        return Math.max(uidNext, count == 0 ? 1 : uids[count - 1] + 1);
    }

    /** The UID of message {@code seq} (1-based). */
    public long uid(int seq) {
        return uids[seq - 1];
    }

    /** The sequence number of {@code uid}, or 0 when the session does not know it. */
    public int seq(long uid) {
        int i = Arrays.binarySearch(uids, 0, count, uid);
        return i >= 0 ? i + 1 : 0;
    }

    public long maxUid() {
        return count == 0 ? 0 : uids[count - 1];
    }

    /** \Recent for this session (RFC 3501 §2.3.2): at or after the first UID it claimed when it selected. */
    public boolean recent(long uid) {
        return uid >= recentFrom;
    }

    public long recentFrom() {
        return recentFrom;
    }

    public int recentCount() {
        int from = Arrays.binarySearch(uids, 0, count, recentFrom);
        return count - (from >= 0 ? from : -from - 1);
    }

    /** Announces a new message (its UID above every known one); answers its sequence number. */
    public int add(long uid) {
        if (count == uids.length) {
            uids = Arrays.copyOf(uids, Math.max(16, count * 2));
        }
        uids[count++] = uid;
        uidNext = Math.max(uidNext, uid + 1);
        return count;
    }

    /** Forgets an expunged message; answers the sequence number it had, or 0 when it was unknown. */
    public int expunge(long uid) {
        int seq = seq(uid);
        if (seq > 0) {
            System.arraycopy(uids, seq, uids, seq - 1, count - seq);
            count--;
        }
        return seq;
    }

    /**
     * The known UIDs a set names, ascending and without duplicates. For sequence numbers {@code *}
     * is the last message; a number beyond it selects nothing (the session answers BAD before, see
     * {@link #validSequence}). For UIDs (RFC 3501 §6.4.8) a range with {@code *} always includes the
     * highest UID, and UIDs not in the mailbox are ignored.
     */
    public long[] resolve(SequenceSet set, boolean byUid) {
        if (count == 0) {
            return new long[0];
        }
        long[] out = new long[Math.min(count, 64)];
        int n = 0;
        // intervals() are disjoint and ascending, so the result is too.
        for (long[] interval : set.intervals(byUid ? uids[count - 1] : count)) {
            int lo;
            int hi;
            if (byUid) {
                int a = Arrays.binarySearch(uids, 0, count, interval[0]);
                lo = a >= 0 ? a : -a - 1;
                int b = Arrays.binarySearch(uids, 0, count, interval[1]);
                hi = b >= 0 ? b : -b - 2;
            } else {
                lo = (int) interval[0] - 1;
                hi = (int) interval[1] - 1;
            }
            for (int i = lo; i <= hi; i++) {
                if (n == out.length) {
                    out = Arrays.copyOf(out, Math.min(count, n * 2));
                }
                out[n++] = uids[i];
            }
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /** RFC 3501 §9 (seq-number): a message sequence number beyond the mailbox's is an error. */
    public boolean validSequence(SequenceSet set) {
        return set.largestExplicit() <= count;
    }
}
