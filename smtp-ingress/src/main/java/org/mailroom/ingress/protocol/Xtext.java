package org.mailroom.ingress.protocol;

/** RFC 3461 §4 xtext: printable ASCII except "+" and "=", and "+XX" hex escapes. */
final class Xtext {

    /** Decodes xtext, or returns null when it is malformed. */
    static String decode(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                char h = s.charAt(i + 1);
                char l = s.charAt(i + 2);
                int hi = Character.digit(h, 16);
                int lo = Character.digit(l, 16);
                if (hi < 0 || lo < 0 || Character.isLowerCase(h) || Character.isLowerCase(l)) {
                    return null; // RFC 3461 §4: hexchar is upper case
                }
                out.append((char) (hi * 16 + lo));
                i += 2;
            } else if (c < 33 || c > 126 || c == '=') {
                return null;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private Xtext() {}
}
