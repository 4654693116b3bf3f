package org.mailroom.core.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Password hashes in the standard string forms, so hashes move in and out of Dovecot and other
 * servers unchanged: Argon2id/Argon2i/Argon2d in PHC form ({@code $argon2id$v=19$m=...,t=...,p=...$salt$hash}),
 * bcrypt in crypt form ({@code $2a$}, {@code $2b$}, {@code $2y$}), each optionally behind Dovecot's
 * scheme prefix ({@code {ARGON2ID}}, {@code {BLF-CRYPT}}, {@code {CRYPT}}). New hashes are Argon2id
 * with OWASP's parameters (19 MiB, 2 passes, 1 lane).
 *
 * <p>The same verification serves SMTP AUTH (smtp-ingress) and IMAP/POP3 logins (mailbox-service).
 */
public final class PasswordHash {

    private static final Pattern PHC = Pattern.compile(
            "\\$(argon2id|argon2i|argon2d)\\$v=(\\d+)\\$m=(\\d+),t=(\\d+),p=(\\d+)\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
    private static final Base64.Decoder B64 = Base64.getDecoder();
    private static final Base64.Encoder B64_OUT = Base64.getEncoder().withoutPadding();
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Octets (KiB) all Argon2 computations of this JVM may hold at once: each takes its memory
     * parameter's worth before it starts and waits while the budget is spent, so ten logins at
     * once cannot exhaust a small heap (19 MiB each). System property
     * {@code mailroom.password-hash.memory-budget-kib}, default 64 MiB.
     */
    private static final int MEMORY_BUDGET_KIB = Integer.getInteger("mailroom.password-hash.memory-budget-kib", 64 * 1024);
    private static final Semaphore MEMORY = new Semaphore(MEMORY_BUDGET_KIB, true);

    /**
     * Limits on imported hashes, so a crafted hash cannot make one login cost gigabytes or minutes:
     * at most the whole memory budget (Dovecot's and libsodium's interactive default, 64 MiB, fits).
     */
    private static final int MAX_MEMORY_KIB = MEMORY_BUDGET_KIB;
    private static final int MAX_PASSES = 20;
    private static final int MAX_LANES = 16;

    public static final int MEMORY_KIB = 19 * 1024;
    public static final int PASSES = 2;
    public static final int LANES = 1;

    /** A new Argon2id hash of the password, in PHC form. */
    public static String hash(String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        byte[] out = argon2(Argon2Parameters.ARGON2_id, Argon2Parameters.ARGON2_VERSION_13, MEMORY_KIB, PASSES, LANES,
                salt, password, 32);
        return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + PASSES + ",p=" + LANES + "$" + B64_OUT.encodeToString(salt)
                + "$" + B64_OUT.encodeToString(out);
    }

    /** True when the stored form is one this class can verify. */
    public static boolean isSupported(String stored) {
        String s = stripScheme(stored);
        return s != null && (PHC.matcher(s).matches() || isBcrypt(s));
    }

    /** Checks a password against a stored hash in constant time; false for unknown forms. */
    public static boolean verify(String stored, String password) {
        String s = stripScheme(stored);
        if (s == null || password == null) {
            return false;
        }
        if (isBcrypt(s)) {
            try {
                return OpenBSDBCrypt.checkPassword(s, password.toCharArray());
            } catch (IllegalArgumentException | org.bouncycastle.crypto.DataLengthException e) {
                return false;
            }
        }
        Matcher m = PHC.matcher(s);
        if (!m.matches()) {
            return false;
        }
        int type = switch (m.group(1)) {
            case "argon2id" -> Argon2Parameters.ARGON2_id;
            case "argon2i" -> Argon2Parameters.ARGON2_i;
            default -> Argon2Parameters.ARGON2_d;
        };
        int version = Integer.parseInt(m.group(2)) == 16 ? Argon2Parameters.ARGON2_VERSION_10 : Argon2Parameters.ARGON2_VERSION_13;
        long memory = Long.parseLong(m.group(3));
        long passes = Long.parseLong(m.group(4));
        long lanes = Long.parseLong(m.group(5));
        if (memory > MAX_MEMORY_KIB || passes > MAX_PASSES || lanes > MAX_LANES || passes < 1 || lanes < 1) {
            return false;
        }
        byte[] salt;
        byte[] expected;
        try {
            salt = B64.decode(pad(m.group(6)));
            expected = B64.decode(pad(m.group(7)));
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (expected.length < 4 || expected.length > 64) {
            return false;
        }
        byte[] actual = argon2(type, version, (int) memory, (int) passes, (int) lanes, salt, password, expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    private static byte[] argon2(int type, int version, int memoryKib, int passes, int lanes, byte[] salt,
            String password, int length) {
        Argon2Parameters params = new Argon2Parameters.Builder(type)
                .withVersion(version)
                .withMemoryAsKB(memoryKib)
                .withIterations(passes)
                .withParallelism(lanes)
                .withSalt(salt)
                .build();
        MEMORY.acquireUninterruptibly(memoryKib);
        try {
            Argon2BytesGenerator generator = new Argon2BytesGenerator();
            generator.init(params);
            byte[] out = new byte[length];
            generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
            return out;
        } finally {
            MEMORY.release(memoryKib);
        }
    }

    /** Removes a Dovecot scheme prefix such as {@code {ARGON2ID}} or {@code {BLF-CRYPT}}. */
    private static String stripScheme(String stored) {
        if (stored == null) {
            return null;
        }
        if (stored.startsWith("{")) {
            int end = stored.indexOf('}');
            if (end < 0) {
                return null;
            }
            String scheme = stored.substring(1, end).toUpperCase(Locale.ROOT);
            String rest = stored.substring(end + 1);
            return switch (scheme) {
                case "ARGON2ID", "ARGON2I", "BLF-CRYPT", "CRYPT" -> rest;
                default -> null;
            };
        }
        return stored;
    }

    private static boolean isBcrypt(String s) {
        return s.length() == 60 && (s.startsWith("$2a$") || s.startsWith("$2b$") || s.startsWith("$2y$"));
    }

    private static String pad(String b64) {
        int rem = b64.length() % 4;
        return rem == 0 ? b64 : b64 + "=".repeat(4 - rem);
    }

    private PasswordHash() {}
}
