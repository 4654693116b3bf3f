package org.mailroom.mailbox.config;

/**
 * Whether a client address is the machine's own: {@code allow-plaintext-auth} is for tests on
 * loopback, and a password in clear from anywhere else is refused whatever it says (RFC 2595 §2.1,
 * RFC 3501 §6.2.3).
 */
public final class Loopback {

    private Loopback() {
    }

    /** True for 127.0.0.0/8, ::1 and the IPv4-mapped form of 127.0.0.0/8; no name lookup. */
    public static boolean is(String ip) {
        if (ip == null) {
            return false;
        }
        String a = ip.startsWith("::ffff:") ? ip.substring("::ffff:".length()) : ip;
        return a.startsWith("127.") || a.equals("::1") || a.equals("0:0:0:0:0:0:0:1");
    }
}
