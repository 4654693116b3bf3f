package org.mailroom.core.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PasswordHashTest {

    @Test
    void newHashesAreArgon2idAndVerify() {
        String h = PasswordHash.hash("correct horse");
        assertTrue(h.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), h);
        assertTrue(PasswordHash.verify(h, "correct horse"));
        assertFalse(PasswordHash.verify(h, "correct horsf"));
        assertNotEquals(h, PasswordHash.hash("correct horse"), "salted");
    }

    @Test
    void referenceArgon2idVector() {
        // Produced by the reference implementation (argon2 CLI / Dovecot's doveadm pw -s ARGON2ID):
        // password "password", salt "somesalt", m=65536, t=2, p=1, 32-byte output.
        String phc = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
        assertTrue(PasswordHash.verify(phc, "password"));
        assertTrue(PasswordHash.verify("{ARGON2ID}" + phc, "password"));
        assertFalse(PasswordHash.verify(phc, "Password"));
    }

    @Test
    void bcryptFromDovecotAndHtpasswd() {
        // OpenBSD test vector: "U*U" with cost 5.
        String bcrypt = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";
        assertTrue(PasswordHash.verify(bcrypt, "U*U"));
        assertTrue(PasswordHash.verify("{BLF-CRYPT}" + bcrypt, "U*U"));
        assertFalse(PasswordHash.verify(bcrypt, "U*V"));
    }

    @Test
    void unknownOrAbusiveFormsAreRefused() {
        assertFalse(PasswordHash.verify("{PLAIN}secret", "secret"));
        assertFalse(PasswordHash.verify("secret", "secret"));
        assertFalse(PasswordHash.verify(null, "x"));
        assertFalse(PasswordHash.verify("$argon2id$v=19$m=99999999,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc", "password"));
        assertFalse(PasswordHash.isSupported("{SHA512-CRYPT}$6$abc"));
    }

    @Test
    void manyVerificationsAtOnceStayWithinTheMemoryBudget() throws Exception {
        // 12 threads x 19 MiB would hold 228 MiB at once; the budget (64 MiB) makes them take turns.
        // What this checks: taking turns loses no answer and mixes none up, and nothing deadlocks.
        String stored = PasswordHash.hash("secret");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(12);
        try {
            java.util.List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String password = i % 2 == 0 ? "secret" : "wrong";
                results.add(pool.submit(() -> PasswordHash.verify(stored, password)));
            }
            for (int i = 0; i < 12; i++) {
                assertTrue(results.get(i).get() == (i % 2 == 0), "verification " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aHashNeedingMoreThanTheWholeBudgetIsRefused() {
        // m = 128 MiB > the 64 MiB budget: refused without computing anything.
        assertFalse(PasswordHash.verify("$argon2id$v=19$m=131072,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$"
                + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "secret"));
    }
}
