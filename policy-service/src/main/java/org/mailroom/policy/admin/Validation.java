package org.mailroom.policy.admin;

import java.util.Optional;
import org.mailroom.core.address.MailAddress;
import org.mailroom.core.relay.RelayMatrix;
import org.mailroom.policy.directory.DirectoryView;

/** Checks of admin input; each failure is a 400 naming the field and the reason. */
final class Validation {

    static final int MAX_PASSWORD = 1024;

    private Validation() {}

    static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ApiException.badRequest(field, field + " is required");
        }
        return value.trim();
    }

    /** A domain name, canonical: lower-case A-labels (IDN accepted in U-labels). */
    static String domain(String field, String text) {
        String value = required(field, text);
        if (value.startsWith("[")) {
            throw ApiException.badRequest(field, "an address literal cannot be a hosted domain: " + value);
        }
        Optional<String> canonical = MailAddress.canonicalDomain(value);
        if (canonical.isEmpty() || !canonical.get().contains(".")) {
            throw ApiException.badRequest(field, "not a valid domain name: " + value);
        }
        return canonical.get();
    }

    /** A mailbox address (RFC 5321 §4.1.2), without routing tricks. */
    static MailAddress address(String field, String text) {
        String value = required(field, text);
        MailAddress address = MailAddress.parse(value)
                .orElseThrow(() -> ApiException.badRequest(field, "malformed address: " + value));
        if (address.domain().startsWith("[")) {
            throw ApiException.badRequest(field, "an address literal is not allowed here: " + value);
        }
        if (RelayMatrix.isRoutingTrick(address)) {
            throw ApiException.badRequest(field, "'%', '!' and '@' are not allowed in the local part: " + value);
        }
        return address;
    }

    /** An address of a domain hosted here. */
    static MailAddress localAddress(String field, String text, DirectoryView view) {
        MailAddress address = address(field, text);
        if (!view.hosts(address.domain())) {
            throw ApiException.badRequest(field, "domain " + address.domainUnicode() + " is not hosted here");
        }
        return address;
    }

    /** An address in a path: malformed is 400, and a well-formed unknown one becomes the caller's 404. */
    static String pathAddress(String text) {
        return MailAddress.parse(text == null ? "" : text)
                .orElseThrow(() -> ApiException.badRequest("address", "malformed address: " + text))
                .canonical();
    }

    static String password(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw ApiException.badRequest(field, field + " is required");
        }
        if (value.length() > MAX_PASSWORD) {
            throw ApiException.badRequest(field, "longer than " + MAX_PASSWORD + " characters");
        }
        return value;
    }

    static String unicode(MailAddress address) {
        return address.localPart() + "@" + address.domainUnicode();
    }
}
