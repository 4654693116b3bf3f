package org.mailroom.core.address;

import java.util.regex.Pattern;

/** RFC 5321 §4.1.3 address literals: {@code [192.0.2.1]} and {@code [IPv6:2001:db8::1]}. */
final class AddressLiteral {

    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    static boolean isValid(String literal) {
        if (literal.length() < 3 || literal.charAt(0) != '[' || literal.charAt(literal.length() - 1) != ']') {
            return false;
        }
        String inner = literal.substring(1, literal.length() - 1);
        if (inner.regionMatches(true, 0, "IPv6:", 0, 5)) {
            String v6 = inner.substring(5);
            return IPV6.matcher(v6).matches() && v6.contains(":");
        }
        return IPV4.matcher(inner).matches();
    }

    private AddressLiteral() {}
}
