package org.mailroom.core.address;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;

/**
 * A mailbox address, {@code local-part@domain}, as RFC 5321 §4.1.2 defines it, extended to UTF-8
 * by RFC 6531 §3.3 (SMTPUTF8). The domain is kept canonical: lower case, IDN domains as A-labels
 * (RFC 5890), so that two spellings of one domain compare equal; {@link #domainUnicode()} gives
 * the U-label form for display. The local part is kept as given: RFC 5321 §2.4 makes it
 * case-sensitive, and only the directory decides how to compare it.
 *
 * <p>Parsing is total: {@link #parse} returns empty on anything that is not a mailbox, never
 * throws on client input.
 */
public record MailAddress(String localPart, String domain) {

    /** RFC 5321 §4.5.3.1.1 and §4.5.3.1.2: 64 octets of local part, 255 of domain. */
    public static final int MAX_LOCAL_PART = 64;
    public static final int MAX_DOMAIN = 255;

    public MailAddress {
        if (localPart == null || localPart.isEmpty() || domain == null || domain.isEmpty()) {
            throw new IllegalArgumentException("local part and domain are required");
        }
    }

    /** Parses a mailbox ({@code local@domain}, no angle brackets). */
    public static Optional<MailAddress> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        int at = text.lastIndexOf('@');
        if (at <= 0 || at == text.length() - 1) {
            return Optional.empty();
        }
        String local = text.substring(0, at);
        String domainText = text.substring(at + 1);
        if (!isValidLocalPart(local)) {
            return Optional.empty();
        }
        return canonicalDomain(domainText).map(d -> new MailAddress(local, d));
    }

    /** Parses a mailbox, for input that is already known to be valid (configuration, tests). */
    public static MailAddress of(String text) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException("not a mailbox: " + text));
    }

    /**
     * RFC 5321 §4.1.2 Local-part = Dot-string / Quoted-string, with RFC 6531's UTF-8 in atext and
     * qtext. At most {@link #MAX_LOCAL_PART} octets.
     */
    public static boolean isValidLocalPart(String local) {
        if (local.isEmpty() || utf8Length(local) > MAX_LOCAL_PART) {
            return false;
        }
        if (local.charAt(0) == '"') {
            return isQuotedString(local);
        }
        boolean lastDot = true;
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (c == '.') {
                if (lastDot) {
                    return false;
                }
                lastDot = true;
            } else if (isAtext(c)) {
                lastDot = false;
            } else {
                return false;
            }
        }
        return !lastDot;
    }

    private static boolean isQuotedString(String s) {
        if (s.length() < 2 || s.charAt(s.length() - 1) != '"') {
            return false;
        }
        for (int i = 1; i < s.length() - 1; i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                if (++i >= s.length() - 1) {
                    return false;
                }
                char q = s.charAt(i);
                if (q < 32 || q > 126) {
                    return false;
                }
            } else if (c == '"' || (c < 32) || c == 127) {
                return false;
            }
        }
        return true;
    }

    /** RFC 5322 §3.2.3 atext, plus non-ASCII (RFC 6531 §3.3). */
    static boolean isAtext(char c) {
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
            return true;
        }
        if (c > 127) {
            return !Character.isISOControl(c) && !Character.isWhitespace(c);
        }
        return "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
    }

    /**
     * The canonical form of a domain or address literal: lower-case A-labels, no trailing dot;
     * address literals ({@code [192.0.2.1]}, {@code [IPv6:...]}) kept as given.
     */
    public static Optional<String> canonicalDomain(String domain) {
        if (domain == null || domain.isEmpty()) {
            return Optional.empty();
        }
        if (domain.charAt(0) == '[') {
            return AddressLiteral.isValid(domain) ? Optional.of(domain) : Optional.empty();
        }
        String ascii;
        try {
            ascii = IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (ascii.isEmpty() || ascii.length() > MAX_DOMAIN || ascii.endsWith(".")) {
            return Optional.empty();
        }
        for (String label : ascii.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return Optional.empty();
            }
        }
        return Optional.of(ascii);
    }

    /** The domain in U-labels, for display. */
    public String domainUnicode() {
        return domain.startsWith("[") ? domain : IDN.toUnicode(domain);
    }

    /** True when the local part needs SMTPUTF8 (RFC 6531) to be transported. */
    public boolean needsSmtpUtf8() {
        for (int i = 0; i < localPart.length(); i++) {
            if (localPart.charAt(i) > 127) {
                return true;
            }
        }
        return false;
    }

    /** The address with a lower-cased local part: the directory's key for comparisons. */
    public String canonical() {
        return localPart.toLowerCase(Locale.ROOT) + "@" + domain;
    }

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    @Override
    public String toString() {
        return localPart + "@" + domain;
    }
}
