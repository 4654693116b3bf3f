package org.mailroom.mailbox.imap.parse;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.PrimitiveIterator;
import java.util.stream.Collectors;

/**
 * An IMAP sequence-set (RFC 3501 §9): message sequence numbers or UIDs, {@code *} for the largest
 * number in use, ranges {@code a:b} in either order ({@code 4:2} is {@code 2:4}), comma lists.
 *
 * <p>{@code *} is stored as {@link #STAR} and resolved against a bound given by the caller (the
 * number of messages, or the largest UID). Iteration never materialises the numbers: memory grows
 * with the number of ranges written by the client, which the framer bounds.
 */
public record SequenceSet(List<Range> ranges) {

    /** Stands for {@code *}. */
    public static final long STAR = -1;
    /** nz-number is a 32-bit unsigned integer (RFC 3501 §9: number = 1*DIGIT, 32-bit). */
    public static final long MAX_NUMBER = 0xFFFF_FFFFL;

    public SequenceSet {
        ranges = List.copyOf(ranges);
        if (ranges.isEmpty()) {
            throw new IllegalArgumentException("empty sequence set");
        }
    }

    /** {@code low:high} as written (either may be {@link #STAR}); a single number has low == high. */
    public record Range(long first, long last) {
        public Range {
            if (!valid(first) || !valid(last)) {
                throw new IllegalArgumentException("not an nz-number or *: " + first + ":" + last);
            }
        }

        private static boolean valid(long n) {
            return n == STAR || (n >= 1 && n <= MAX_NUMBER);
        }

        long low(long max) {
            return Math.min(resolve(first, max), resolve(last, max));
        }

        long high(long max) {
            return Math.max(resolve(first, max), resolve(last, max));
        }

        @Override public String toString() {
            return first == last ? text(first) : text(first) + ":" + text(last);
        }
    }

    public static SequenceSet of(long first, long last) {
        return new SequenceSet(List.of(new Range(first, last)));
    }

    /** Parses the wire form, e.g. {@code 1,3:5,7:*}; empty on any syntax error. */
    public static Optional<SequenceSet> parse(String text) {
        List<Range> ranges = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (true) {
            long[] first = new long[1];
            i = number(text, i, first);
            if (i < 0) {
                return Optional.empty();
            }
            long last = first[0];
            if (i < n && text.charAt(i) == ':') {
                long[] second = new long[1];
                i = number(text, i + 1, second);
                if (i < 0) {
                    return Optional.empty();
                }
                last = second[0];
            }
            ranges.add(new Range(first[0], last));
            if (i == n) {
                return Optional.of(new SequenceSet(ranges));
            }
            if (text.charAt(i) != ',') {
                return Optional.empty();
            }
            i++;
        }
    }

    /** seq-number = nz-number / "*"; returns the index after it, or -1. */
    private static int number(String text, int i, long[] out) {
        int n = text.length();
        if (i < n && text.charAt(i) == '*') {
            out[0] = STAR;
            return i + 1;
        }
        if (i >= n || text.charAt(i) < '1' || text.charAt(i) > '9') {
            return -1; // nz-number: no leading zero, no zero
        }
        long value = 0;
        while (i < n && Chars.isDigit(text.charAt(i))) {
            value = value * 10 + (text.charAt(i) - '0');
            if (value > MAX_NUMBER) {
                return -1;
            }
            i++;
        }
        out[0] = value;
        return i;
    }

    private static long resolve(long n, long max) {
        return n == STAR ? max : n;
    }

    private static String text(long n) {
        return n == STAR ? "*" : Long.toString(n);
    }

    /** Whether {@code n} is in the set when {@code *} stands for {@code max}. */
    public boolean contains(long n, long max) {
        for (Range r : ranges) {
            if (n >= r.low(max) && n <= r.high(max)) {
                return true;
            }
        }
        return false;
    }

    /** True when {@code *} appears. */
    public boolean usesStar() {
        return ranges.stream().anyMatch(r -> r.first == STAR || r.last == STAR);
    }

    /**
     * The largest explicit number written, for the RFC 3501 §7.1.3 check that a message sequence
     * number does not exceed the mailbox size ({@code BAD}); 0 when only {@code *} is written.
     */
    public long largestExplicit() {
        long m = 0;
        for (Range r : ranges) {
            m = Math.max(m, Math.max(r.first, r.last));
        }
        return m;
    }

    /**
     * Disjoint ascending {@code [low, high]} intervals within {@code 1..max}, with {@code *} as
     * {@code max}: numbers above {@code max} are dropped (right for UIDs, RFC 3501 §6.4.8: a UID range
     * is permitted to name UIDs that do not exist).
     */
    public List<long[]> intervals(long max) {
        List<long[]> sorted = new ArrayList<>();
        for (Range r : ranges) {
            long low = Math.max(1, r.low(max));
            long high = Math.min(max, r.high(max));
            if (low <= high) {
                sorted.add(new long[] {low, high});
            }
        }
        sorted.sort(Comparator.comparingLong(a -> a[0]));
        List<long[]> merged = new ArrayList<>();
        for (long[] iv : sorted) {
            long[] prev = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (prev != null && iv[0] <= prev[1] + 1) {
                prev[1] = Math.max(prev[1], iv[1]);
            } else {
                merged.add(iv);
            }
        }
        return merged;
    }

    /** The distinct numbers of the set within {@code 1..max}, ascending, one at a time. */
    public PrimitiveIterator.OfLong iterator(long max) {
        List<long[]> intervals = intervals(max);
        return new PrimitiveIterator.OfLong() {
            private int index;
            private long next = intervals.isEmpty() ? 0 : intervals.get(0)[0];

            @Override public boolean hasNext() {
                return index < intervals.size();
            }

            @Override public long nextLong() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                long value = next;
                if (next == intervals.get(index)[1]) {
                    index++;
                    if (index < intervals.size()) {
                        next = intervals.get(index)[0];
                    }
                } else {
                    next++;
                }
                return value;
            }
        };
    }

    /** The wire form, ranges as the client wrote them. */
    @Override public String toString() {
        return ranges.stream().map(Range::toString).collect(Collectors.joining(","));
    }
}
