package org.mailroom.mailbox.imap.parse;

/** Character classes of the RFC 3501 §9 grammar, on octets. 8-bit octets belong to none of them. */
final class Chars {

    private Chars() {
    }

    /** CTL = %x00-1F / %x7F; octets of 0x80 and up are not CHAR at all. */
    static boolean isCtlOr8Bit(int b) {
        int c = b & 0xff;
        return c < 0x20 || c >= 0x7f;
    }

    /** ATOM-CHAR: any CHAR except atom-specials ( "(" ")" "{" SP CTL "%" "*" DQUOTE "\" "]" ). */
    static boolean isAtomChar(int b) {
        if (isCtlOr8Bit(b)) {
            return false;
        }
        switch (b) {
            case '(', ')', '{', ' ', '%', '*', '"', '\\', ']':
                return false;
            default:
                return true;
        }
    }

    /** ASTRING-CHAR = ATOM-CHAR / resp-specials. */
    static boolean isAstringChar(int b) {
        return b == ']' || isAtomChar(b);
    }

    /** tag = 1*&lt;any ASTRING-CHAR except "+"&gt;. */
    static boolean isTagChar(int b) {
        return b != '+' && isAstringChar(b);
    }

    /** list-char = ATOM-CHAR / list-wildcards / resp-specials. */
    static boolean isListChar(int b) {
        return b == '%' || b == '*' || isAstringChar(b);
    }

    static boolean isDigit(int b) {
        return b >= '0' && b <= '9';
    }
}
