package org.mailroom.policy.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mailroom.core.address.MailAddress;
import org.mailroom.core.smtp.Replies;
import org.mailroom.policy.directory.DirectoryView;

class AliasResolverTest {

    private static AliasResolver.Resolution resolve(String address, DirectoryView view) {
        return AliasResolver.resolve(MailAddress.of(address), view, AliasResolver.DEFAULT_MAX_DEPTH);
    }

    private static List<String> remote(AliasResolver.Resolution r) {
        return r.remote().stream().map(MailAddress::toString).toList();
    }

    @Test
    void anAccountIsItsOwnMailboxWhateverTheCaseOfTheLocalPart() {
        DirectoryView v = Directories.of().domain("example.test").account("alice@example.test").build();
        AliasResolver.Resolution r = resolve("Alice@EXAMPLE.test", v);
        assertEquals(List.of("alice@example.test"), r.mailboxes());
        assertTrue(r.failures().isEmpty());
        assertEquals(0, r.expansions());
    }

    @Test
    void anUnknownUserIs550_5_1_1() {
        DirectoryView v = Directories.of().domain("example.test").build();
        AliasResolver.Resolution r = resolve("nobody@example.test", v);
        assertFalse(r.delivered());
        assertEquals(Replies.NO_SUCH_USER, r.failures().get(0).reply());
    }

    @Test
    void aDisabledAccountReceivesNothing() {
        DirectoryView v = Directories.of().domain("example.test").disabled("gone@example.test").build();
        assertEquals(AliasResolver.MAILBOX_DISABLED, resolve("gone@example.test", v).failures().get(0).reply());
    }

    @Test
    void aliasesExpandRecursivelyToMailboxesAndRemoteAddresses() {
        DirectoryView v = Directories.of().domain("example.test")
                .account("alice@example.test").account("bob@example.test")
                .alias("team@example.test", "alice@example.test", "staff@example.test")
                .alias("staff@example.test", "bob@example.test", "Carol@Remote.Example")
                .build();
        AliasResolver.Resolution r = resolve("team@example.test", v);
        assertEquals(List.of("alice@example.test", "bob@example.test"), r.mailboxes());
        assertEquals(List.of("Carol@remote.example"), remote(r), "remote local parts keep their case");
        assertEquals(2, r.expansions());
    }

    @Test
    void aDiamondIsNoLoopAndItsSharedTargetAppearsOnce() {
        DirectoryView v = Directories.of().domain("example.test").account("d@example.test")
                .alias("a@example.test", "b@example.test", "c@example.test")
                .alias("b@example.test", "d@example.test", "x@remote.example")
                .alias("c@example.test", "D@example.test", "x@remote.example")
                .build();
        AliasResolver.Resolution r = resolve("a@example.test", v);
        assertEquals(List.of("d@example.test"), r.mailboxes());
        assertEquals(List.of("x@remote.example"), remote(r));
        assertTrue(r.failures().isEmpty());
    }

    @Test
    void aLoopEndsItsBranchWith5_4_6AndNamesThePath() {
        DirectoryView v = Directories.of().domain("example.test").account("alice@example.test")
                .alias("a@example.test", "b@example.test", "alice@example.test")
                .alias("b@example.test", "a@example.test")
                .build();
        AliasResolver.Resolution r = resolve("a@example.test", v);
        assertEquals(List.of("alice@example.test"), r.mailboxes(), "the other branch still delivers");
        assertEquals(1, r.failures().size());
        assertEquals(AliasResolver.LOOP, r.failures().get(0).reply());
        assertEquals(List.of("a@example.test", "b@example.test", "a@example.test"), r.failures().get(0).path());
    }

    @Test
    void aSelfLoopDeliversNothing() {
        DirectoryView v = Directories.of().domain("example.test").alias("a@example.test", "A@example.test").build();
        AliasResolver.Resolution r = resolve("a@example.test", v);
        assertFalse(r.delivered());
        assertEquals(AliasResolver.LOOP, r.failures().get(0).reply());
    }

    @Test
    void expansionDeeperThanTheLimitFails() {
        Directories d = Directories.of().domain("example.test").account("end@example.test");
        for (int i = 0; i < 5; i++) {
            d.alias("a" + i + "@example.test", (i == 4 ? "end" : "a" + (i + 1)) + "@example.test");
        }
        DirectoryView v = d.build();
        assertEquals(List.of("end@example.test"), AliasResolver.resolve(MailAddress.of("a0@example.test"), v, 5).mailboxes());
        AliasResolver.Resolution tooDeep = AliasResolver.resolve(MailAddress.of("a0@example.test"), v, 3);
        assertFalse(tooDeep.delivered());
        assertEquals(AliasResolver.TOO_DEEP, tooDeep.failures().get(0).reply());
    }

    @Test
    void subaddressesReachTheBaseAccountOrAlias() {
        DirectoryView v = Directories.of().domain("example.test").account("alice@example.test")
                .alias("list@example.test", "alice@example.test")
                .account("bob+exact@example.test")
                .build();
        assertEquals(List.of("alice@example.test"), resolve("alice+news@example.test", v).mailboxes());
        assertEquals(List.of("alice@example.test"), resolve("list+x+y@example.test", v).mailboxes());
        assertEquals(List.of("bob+exact@example.test"), resolve("bob+exact@example.test", v).mailboxes(),
                "an exact account wins over the subaddress rule");
        assertEquals(Replies.NO_SUCH_USER, resolve("+tag@example.test", v).failures().get(0).reply());
        assertEquals(Replies.NO_SUCH_USER, resolve("carol+tag@example.test", v).failures().get(0).reply());
    }

    @Test
    void theCatchAllTakesUnknownUsersOnly() {
        DirectoryView v = Directories.of().domain("example.test", "postmaster@example.test")
                .account("postmaster@example.test").account("alice@example.test").build();
        assertEquals(List.of("alice@example.test"), resolve("alice@example.test", v).mailboxes());
        AliasResolver.Resolution r = resolve("whoever@example.test", v);
        assertEquals(List.of("postmaster@example.test"), r.mailboxes());
        assertEquals(1, r.expansions());
        assertEquals(List.of("alice@example.test"), resolve("alice+tag@example.test", v).mailboxes(),
                "subaddressing comes before the catch-all");
    }

    @Test
    void aCatchAllThatLeadsNowhereIsALoopNotARecursion() {
        DirectoryView v = Directories.of().domain("example.test", "missing@example.test").build();
        AliasResolver.Resolution r = resolve("whoever@example.test", v);
        assertFalse(r.delivered());
        assertEquals(AliasResolver.LOOP, r.failures().get(0).reply());
    }

    @Test
    void routingTricksInAHostedDomainAreRefused() {
        DirectoryView v = Directories.of().domain("example.test", "all@example.test").account("all@example.test").build();
        AliasResolver.Resolution r = resolve("user%remote.example@example.test", v);
        assertFalse(r.delivered());
        assertEquals(Replies.RELAY_DENIED, r.failures().get(0).reply());
    }

    @Test
    void malformedStoredTargetsFailTheirBranch() {
        DirectoryView v = Directories.of().domain("example.test").account("a@example.test")
                .alias("x@example.test", "not an address", "a@example.test").build();
        AliasResolver.Resolution r = resolve("x@example.test", v);
        assertEquals(List.of("a@example.test"), r.mailboxes());
        assertEquals(AliasResolver.BAD_TARGET, r.failures().get(0).reply());
    }

    @Test
    void remoteAddressesPassThroughUntouched() {
        AliasResolver.Resolution r = resolve("Someone@Remote.Example", Directories.of().domain("example.test").build());
        assertEquals(List.of("Someone@remote.example"), remote(r));
        assertTrue(r.mailboxes().isEmpty());
    }
}
