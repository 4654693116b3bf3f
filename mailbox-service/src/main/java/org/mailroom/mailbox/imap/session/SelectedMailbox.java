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
    /** The UID ranges [lo, hi) recent to this session (RFC 3501 §2.3.2), ascending, disjoint. */
    private long[] recentLo = new long[2];
    private long[] recentHi = new long[2];
    private int recentRanges;
    private long[] uids;
    private int count;
    private long knownModseq;
    private long uidNext;

    /** With the UIDs from {@code recentFrom} up to {@code uidNext} recent. */
    public SelectedMailbox(long id, String name, boolean readOnly, long uidValidity, long recentFrom, long[] uids,
            long knownModseq, long uidNext) {
        this(id, name, readOnly, uidValidity, recentFrom, uidNext, uids, knownModseq, uidNext);
    }

    /** With the UIDs in [{@code recentFrom}, {@code recentTo}) recent: what SELECT claimed, or EXAMINE found unclaimed. */
    public SelectedMailbox(long id, String name, boolean readOnly, long uidValidity, long recentFrom, long recentTo,
            long[] uids, long knownModseq, long uidNext) {
        this.id = id;
        this.name = name;
        this.readOnly = readOnly;
        this.uidValidity = uidValidity;
        this.uids = uids.clone();
        this.count = uids.length;
        this.knownModseq = knownModseq;
        this.uidNext = uidNext;
        addRecent(recentFrom, recentTo);
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

    /**
     * \Recent for this session (RFC 3501 §2.3.2): this session was the first to be told of the
     * message (a SELECT claims what no session has, and so does each look that finds new mail), or,
     * read-only, no session had claimed it when this one looked.
     */
    public boolean recent(long uid) {
        int lo = 0;
        int hi = recentRanges - 1;
        while (lo <= hi) { // the last range starting at or before uid
            int mid = (lo + hi) >>> 1;
            if (recentLo[mid] <= uid) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return hi >= 0 && uid < recentHi[hi];
    }

    /** Makes the UIDs in [lo, hi) recent; ranges come in ascending order (claims only move forward). */
    public void addRecent(long lo, long hi) {
        if (lo >= hi) {
            return;
        }
        if (recentRanges > 0 && lo <= recentHi[recentRanges - 1]) {
            recentHi[recentRanges - 1] = Math.max(recentHi[recentRanges - 1], hi);
            return;
        }
        if (recentRanges == recentLo.length) {
            recentLo = Arrays.copyOf(recentLo, recentRanges * 2);
            recentHi = Arrays.copyOf(recentHi, recentRanges * 2);
        }
        recentLo[recentRanges] = lo;
        recentHi[recentRanges] = hi;
        recentRanges++;
    }

    /** The recent ranges as {lo, hi} pairs, for a database search. */
    public long[][] recentRanges() {
        long[][] out = new long[recentRanges][];
        for (int i = 0; i < recentRanges; i++) {
            out[i] = new long[] {recentLo[i], recentHi[i]};
        }
        return out;
    }

    /** How many of the messages the session knows are recent to it. */
    public int recentCount() {
        int n = 0;
        for (int r = 0; r < recentRanges; r++) {
            int a = Arrays.binarySearch(uids, 0, count, recentLo[r]);
            int b = Arrays.binarySearch(uids, 0, count, recentHi[r]);
            n += (b >= 0 ? b : -b - 1) - (a >= 0 ? a : -a - 1);
        }
        return n;
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
