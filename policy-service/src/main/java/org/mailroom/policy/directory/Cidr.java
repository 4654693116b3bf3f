package org.mailroom.policy.directory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A trusted network in CIDR notation (RFC 4632 for IPv4, RFC 4291 §2.3 for IPv6). Parsing is
 * total and never consults DNS: only address literals are accepted.
 */
public record Cidr(byte[] network, int prefix) {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    /** Why a text is not a CIDR, or which network it is. */
    public sealed interface Parsed permits Valid, Invalid {}

    public record Valid(Cidr cidr) implements Parsed {}

    public record Invalid(String reason) implements Parsed {}

    /** Parses {@code address/prefix}; a bare address is a host network (/32, /128). */
    public static Parsed parse(String text) {
        if (text == null || text.isBlank()) {
            return new Invalid("required");
        }
        String s = text.trim();
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        Optional<InetAddress> ip = parseIp(addr);
        if (ip.isEmpty()) {
            return new Invalid("not an IPv4 or IPv6 address: " + addr);
        }
        byte[] bytes = ip.get().getAddress();
        int max = bytes.length * 8;
        int prefix = max;
        if (slash >= 0) {
            String p = s.substring(slash + 1);
            if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > max) {
                return new Invalid("prefix length must be 0.." + max);
            }
            prefix = Integer.parseInt(p);
        }
        for (int bit = prefix; bit < max; bit++) {
            if ((bytes[bit / 8] & (0x80 >> (bit % 8))) != 0) {
                return new Invalid("address has bits set to the right of the /" + prefix + " mask");
            }
        }
        return new Valid(new Cidr(bytes, prefix));
    }

    /** Parses an IP address literal (optionally in brackets or with an {@code IPv6:} tag); never resolves names. */
    public static Optional<InetAddress> parseIp(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String s = text.trim();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        if (s.regionMatches(true, 0, "IPv6:", 0, 5)) {
            s = s.substring(5);
        }
        int zone = s.indexOf('%');
        if (zone >= 0) {
            s = s.substring(0, zone);
        }
        boolean literal = s.indexOf(':') >= 0 ? IPV6.matcher(s).matches() : IPV4.matcher(s).matches();
        if (!literal) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(s)); // a literal: no lookup
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != network.length) {
            return false;
        }
        for (int bit = 0; bit < prefix; bit++) {
            int mask = 0x80 >> (bit % 8);
            if ((a[bit / 8] & mask) != (network[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** The text form: the network address as {@link InetAddress} prints it, and the prefix. */
    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefix == prefix && java.util.Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(network) + prefix;
    }
}
