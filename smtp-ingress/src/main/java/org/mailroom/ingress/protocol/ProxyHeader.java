package org.mailroom.ingress.protocol;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The PROXY protocol header (HAProxy, versions 1 and 2) that a load balancer sends before the
 * client's first byte, so the relay rules and limits see the client's real address. Pure: given
 * the octets received so far, it says whether more are needed, whether they are invalid, or how many
 * octets the header took and which source address it names.
 */
public final class ProxyHeader {

    /** Version 2 signature: "\r\n\r\n\0\r\nQUIT\n". */
    static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    /** Version 1 lines are at most 107 octets, CRLF included. */
    static final int V1_MAX = 107;
    /** Our bound on a version 2 header (addresses plus TLVs): 16 + 65535 is allowed; we take far less. */
    static final int V2_MAX = 16 + 512;

    public sealed interface Result {}

    public record NeedMore() implements Result {}

    public record Invalid(String reason) implements Result {}

    /**
     * A complete header.
     *
     * @param length octets the header took
     * @param source the client's address, or null for LOCAL / UNKNOWN (health checks): use the peer's
     */
    public record Parsed(int length, InetAddress source) implements Result {}

    public static Result parse(byte[] in, int len) {
        if (len == 0) {
            return new NeedMore();
        }
        if (in[0] == 'P') {
            return v1(in, len);
        }
        if (in[0] == 0x0D) {
            return v2(in, len);
        }
        return new Invalid("no PROXY header");
    }

    private static Result v1(byte[] in, int len) {
        byte[] prefix = "PROXY ".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < Math.min(len, prefix.length); i++) {
            if (in[i] != prefix[i]) {
                return new Invalid("no PROXY header");
            }
        }
        int end = -1;
        for (int i = 1; i < Math.min(len, V1_MAX); i++) {
            if (in[i - 1] == '\r' && in[i] == '\n') {
                end = i + 1;
                break;
            }
        }
        if (end < 0) {
            return len >= V1_MAX ? new Invalid("PROXY v1 line too long") : new NeedMore();
        }
        String line = new String(in, 0, end - 2, StandardCharsets.US_ASCII);
        String[] f = line.split(" ");
        if (f.length >= 2 && f[1].equals("UNKNOWN")) {
            return new Parsed(end, null);
        }
        if (f.length != 6 || !(f[1].equals("TCP4") || f[1].equals("TCP6"))) {
            return new Invalid("malformed PROXY v1 line");
        }
        if (!f[2].matches(f[1].equals("TCP4") ? "[0-9.]{7,15}" : "[0-9A-Fa-f:.]{2,45}")) {
            return new Invalid("malformed PROXY v1 source address");
        }
        try {
            int sourcePort = Integer.parseInt(f[4]);
            int destinationPort = Integer.parseInt(f[5]);
            if (sourcePort < 0 || sourcePort > 65535 || destinationPort < 0 || destinationPort > 65535) {
                return new Invalid("malformed PROXY v1 port");
            }
            return new Parsed(end, InetAddress.getByName(f[2]));
        } catch (NumberFormatException | UnknownHostException e) {
            return new Invalid("malformed PROXY v1 line");
        }
    }

    private static Result v2(byte[] in, int len) {
        for (int i = 0; i < Math.min(len, V2_SIGNATURE.length); i++) {
            if (in[i] != V2_SIGNATURE[i]) {
                return new Invalid("no PROXY header");
            }
        }
        if (len < 16) {
            return new NeedMore();
        }
        int version = (in[12] & 0xF0) >> 4;
        int command = in[12] & 0x0F;
        int family = (in[13] & 0xF0) >> 4;
        int length = ((in[14] & 0xFF) << 8) | (in[15] & 0xFF);
        if (version != 2 || command > 1) {
            return new Invalid("unsupported PROXY v2 version or command");
        }
        if (16 + length > V2_MAX) {
            return new Invalid("PROXY v2 header too long");
        }
        if (len < 16 + length) {
            return new NeedMore();
        }
        if (command == 0) {
            return new Parsed(16 + length, null); // LOCAL: the balancer's own health check
        }
        try {
            if (family == 1 && length >= 12) {
                return new Parsed(16 + length, InetAddress.getByAddress(Arrays.copyOfRange(in, 16, 20)));
            }
            if (family == 2 && length >= 36) {
                return new Parsed(16 + length, InetAddress.getByAddress(Arrays.copyOfRange(in, 16, 32)));
            }
        } catch (UnknownHostException e) {
            return new Invalid("malformed PROXY v2 address");
        }
        return family == 0 ? new Parsed(16 + length, null) : new Invalid("unsupported PROXY v2 address family");
    }

    private ProxyHeader() {}
}
