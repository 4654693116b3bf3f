package org.mailroom.core.smtp;

import java.util.regex.Pattern;

/** RFC 3463 enhanced status codes: {@code class.subject.detail}, class 2, 4 or 5. */
public final class EnhancedStatus {

    // RFC 3463 §2: subject and detail are 1 to 3 digits without leading zeros beyond "0".
    private static final Pattern SYNTAX = Pattern.compile("[245]\\.(0|[1-9]\\d{0,2})\\.(0|[1-9]\\d{0,2})");

    public static boolean isValid(String code) {
        return code != null && SYNTAX.matcher(code).matches();
    }

    private EnhancedStatus() {}
}
