package org.mailroom.policy.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailroom.policy.Api.admin;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;
import org.mailroom.core.auth.PasswordHash;
import org.mailroom.policy.MailboxStub;
import org.mailroom.testsupport.Infra;
import org.mailroom.testsupport.MailroomTestResources;

/** The admin API against the real PostgreSQL: auth, validation, each resource's life. */
@QuarkusTest
@WithTestResource(MailroomTestResources.class)
@WithTestResource(MailboxStub.class)
class AdminApiIT {

    @Test
    void everyCallNeedsTheBearerTokenAndFailuresAreCounted() {
        given().get("/api/v1/domains").then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("field", is("Authorization"));
        given().auth().oauth2("wrong").get("/api/v1/domains").then().statusCode(401);
        given().header("Authorization", "Basic dXNlcjpwYXNz").get("/api/v1/accounts").then().statusCode(401);
        given().get("/api/v1/no-such-resource").then().statusCode(401);
        given().get("//api/v1/domains").then().statusCode(401);
        given().get("/api/v1/../v1/domains").then().statusCode(401);
        admin().get("/api/v1/domains").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("policy_admin_auth_failures_total{reason=\"invalid\"}"))
                .body(containsString("policy_admin_auth_failures_total{reason=\"missing\"}"))
                .body(containsString("policy_admin_requests_total{method=\"GET\",status=\"200\"}"));
    }

    @Test
    void domainsAreStoredAsALabelsAndShownInBothForms() {
        admin().body(Map.of("name", "Bücher.Example")).post("/api/v1/domains").then().statusCode(201)
                .header("Location", containsString("/api/v1/domains/xn--bcher-kva.example"))
                .body("name", is("xn--bcher-kva.example"))
                .body("unicodeName", is("bücher.example"))
                .body("createdAt", notNullValue());
        admin().get("/api/v1/domains/bücher.example").then().statusCode(200).body("name", is("xn--bcher-kva.example"));
        admin().get("/api/v1/domains").then().statusCode(200).body("name", hasItem("xn--bcher-kva.example"));
        admin().body(Map.of("name", "xn--bcher-kva.example")).post("/api/v1/domains").then().statusCode(409)
                .body("field", is("name"));
        admin().body(Map.of("name", "not a domain!")).post("/api/v1/domains").then().statusCode(400)
                .body("field", is("name")).body("error", containsString("not a valid domain"));
        admin().body(Map.of()).post("/api/v1/domains").then().statusCode(400).body("field", is("name"));
        admin().get("/api/v1/domains/missing.example").then().statusCode(404).body("field", is("name"));
        admin().delete("/api/v1/domains/bücher.example").then().statusCode(204);
        admin().get("/api/v1/domains/bücher.example").then().statusCode(404);
    }

    @Test
    void accountsHashPasswordsWithArgon2idAndNeverShowTheHash() throws Exception {
        admin().body(Map.of("name", "acct.test")).post("/api/v1/domains").then().statusCode(201);
        admin().body(Map.of("address", "Alice@ACCT.test", "password", "s3cret")).post("/api/v1/accounts").then()
                .statusCode(201)
                .body("address", is("alice@acct.test"))
                .body("enabled", is(true))
                .body("quotaBytes", is(0))
                .body("$", not(hasKey("passwordHash")));
        String hash = storedHash("alice@acct.test");
        assertTrue(hash.startsWith("$argon2id$"), hash);
        assertTrue(PasswordHash.verify(hash, "s3cret"));

        admin().body(Map.of("password", "n3w")).post("/api/v1/accounts/alice@acct.test/password").then().statusCode(204);
        assertTrue(PasswordHash.verify(storedHash("alice@acct.test"), "n3w"));

        admin().body(Map.of("enabled", false, "quotaBytes", 1048576)).put("/api/v1/accounts/ALICE@acct.test").then()
                .statusCode(200).body("enabled", is(false)).body("quotaBytes", is(1048576));
        admin().body(Map.of("quotaBytes", -1)).put("/api/v1/accounts/alice@acct.test").then().statusCode(400)
                .body("field", is("quotaBytes"));
        admin().get("/api/v1/accounts?domain=acct.test").then().statusCode(200).body("address", hasItem("alice@acct.test"));
    }

    @Test
    void dovecotHashesAreImportedAsTheyAre() throws Exception {
        admin().body(Map.of("name", "import.test")).post("/api/v1/domains").then().statusCode(201);
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        String bcrypt = "{BLF-CRYPT}" + OpenBSDBCrypt.generate("2y", "imported".toCharArray(), salt, 4);
        admin().body(Map.of("address", "bob@import.test", "passwordHash", bcrypt)).post("/api/v1/accounts").then().statusCode(201);
        assertEquals(bcrypt, storedHash("bob@import.test"));
        assertTrue(PasswordHash.verify(storedHash("bob@import.test"), "imported"));
        admin().body(Map.of("address", "carol@import.test", "passwordHash", "{PLAIN}secret")).post("/api/v1/accounts").then()
                .statusCode(400).body("field", is("passwordHash"));
    }

    @Test
    void accountInputIsValidatedFieldByField() {
        admin().body(Map.of("name", "valid.test")).post("/api/v1/domains").then().statusCode(201);
        admin().body(Map.of("address", "x@nothosted.example", "password", "p")).post("/api/v1/accounts").then()
                .statusCode(400).body("field", is("address")).body("error", containsString("not hosted"));
        admin().body(Map.of("address", "not-an-address", "password", "p")).post("/api/v1/accounts").then()
                .statusCode(400).body("field", is("address")).body("error", containsString("malformed"));
        admin().body(Map.of("address", "a%b@valid.test", "password", "p")).post("/api/v1/accounts").then()
                .statusCode(400).body("field", is("address"));
        admin().body(Map.of("address", "a@valid.test")).post("/api/v1/accounts").then()
                .statusCode(400).body("field", is("password"));
        admin().body(Map.of("address", "a@valid.test", "password", "p", "passwordHash", "$2y$x")).post("/api/v1/accounts")
                .then().statusCode(400).body("field", is("password"));
        admin().body(Map.of("address", "a@valid.test", "password", "p")).post("/api/v1/accounts").then().statusCode(201);
        admin().body(Map.of("address", "A@valid.test", "password", "p")).post("/api/v1/accounts").then().statusCode(409)
                .body("field", is("address"));
        admin().get("/api/v1/accounts/nobody@valid.test").then().statusCode(404);
        admin().get("/api/v1/accounts/garbage").then().statusCode(400).body("field", is("address"));
    }

    @Test
    void removalIsRefusedWhileTheMailboxHoldsMailUnlessForced() {
        admin().body(Map.of("name", "del.test")).post("/api/v1/domains").then().statusCode(201);
        for (String user : List.of("full", "down", "empty", "fresh")) {
            admin().body(Map.of("address", user + "@del.test", "password", "p")).post("/api/v1/accounts").then().statusCode(201);
        }
        admin().delete("/api/v1/accounts/full@del.test").then().statusCode(409)
                .body("error", containsString("3 messages"));
        admin().delete("/api/v1/accounts/down@del.test").then().statusCode(503)
                .body("error", containsString("force"));
        admin().delete("/api/v1/accounts/empty@del.test").then().statusCode(204);
        admin().delete("/api/v1/accounts/fresh@del.test").then().statusCode(204);
        admin().delete("/api/v1/accounts/fresh@del.test").then().statusCode(404);
        admin().delete("/api/v1/domains/del.test").then().statusCode(409).body("field", is("name"));
        admin().delete("/api/v1/accounts/full@del.test?force=true").then().statusCode(204);
        admin().delete("/api/v1/domains/del.test").then().statusCode(503);
        admin().delete("/api/v1/domains/del.test?force=true").then().statusCode(204);
        admin().get("/api/v1/accounts/down@del.test").then().statusCode(404);
    }

    @Test
    void aliasesAreCheckedForLoopsUnknownTargetsAndDuplicates() {
        admin().body(Map.of("name", "alias.test")).post("/api/v1/domains").then().statusCode(201);
        admin().body(Map.of("address", "alice@alias.test", "password", "p")).post("/api/v1/accounts").then().statusCode(201);
        admin().body(Map.of("address", "Team@alias.test", "targets", List.of("alice@alias.test", "friend@remote.example")))
                .post("/api/v1/aliases").then().statusCode(201)
                .body("address", is("team@alias.test"))
                .body("targets", is(List.of("alice@alias.test", "friend@remote.example")));
        admin().body(Map.of("address", "a@alias.test", "targets", List.of("team@alias.test"))).post("/api/v1/aliases")
                .then().statusCode(201);
        admin().body(Map.of("targets", List.of("a@alias.test"))).put("/api/v1/aliases/team@alias.test").then()
                .statusCode(400).body("field", is("targets")).body("error", containsString("loop"));
        admin().body(Map.of("address", "b@alias.test", "targets", List.of("nobody@alias.test"))).post("/api/v1/aliases")
                .then().statusCode(400).body("field", is("targets")).body("error", containsString("nobody@alias.test"));
        admin().body(Map.of("address", "c@alias.test", "targets", List.of("x@remote.example", "x@REMOTE.example")))
                .post("/api/v1/aliases").then().statusCode(400).body("field", is("targets[1]"));
        admin().body(Map.of("address", "d@alias.test", "targets", List.of("bad address"))).post("/api/v1/aliases")
                .then().statusCode(400).body("field", is("targets[0]"));
        admin().body(Map.of("address", "e@alias.test", "targets", List.of())).post("/api/v1/aliases")
                .then().statusCode(400).body("field", is("targets"));
        admin().body(Map.of("address", "alice@alias.test", "targets", List.of("team@alias.test"))).post("/api/v1/aliases")
                .then().statusCode(409).body("field", is("address"));
        admin().body(Map.of("address", "x@elsewhere.example", "targets", List.of("alice@alias.test")))
                .post("/api/v1/aliases").then().statusCode(400).body("error", containsString("not hosted"));
        admin().body(Map.of("targets", List.of("alice+lists@alias.test"))).put("/api/v1/aliases/team@alias.test").then()
                .statusCode(200).body("targets", is(List.of("alice+lists@alias.test")));
        admin().delete("/api/v1/aliases/a@alias.test").then().statusCode(204);
        admin().get("/api/v1/aliases/a@alias.test").then().statusCode(404);
    }

    @Test
    void theCatchAllIsAnExistingAccountOrAlias() {
        admin().body(Map.of("name", "catch.test")).post("/api/v1/domains").then().statusCode(201).body("catchAll", nullValue());
        admin().body(Map.of("address", "pm@catch.test", "password", "p")).post("/api/v1/accounts").then().statusCode(201);
        admin().body(Map.of("catchAll", "nobody@catch.test")).put("/api/v1/domains/catch.test").then().statusCode(400)
                .body("field", is("catchAll"));
        admin().body(Map.of("catchAll", "PM@catch.test")).put("/api/v1/domains/catch.test").then().statusCode(200)
                .body("catchAll", is("pm@catch.test"));
        admin().body(Map.of()).put("/api/v1/domains/catch.test").then().statusCode(200).body("catchAll", nullValue());
    }

    @Test
    void trustedNetworksAreCanonicalCidrs() {
        admin().body(Map.of("cidr", "10.20.0.0/16", "description", "office")).post("/api/v1/networks").then()
                .statusCode(201).body("cidr", is("10.20.0.0/16")).body("description", is("office"));
        admin().body(Map.of("cidr", "10.20.0.0/16")).post("/api/v1/networks").then().statusCode(409).body("field", is("cidr"));
        admin().body(Map.of("cidr", "10.20.0.1/16")).post("/api/v1/networks").then().statusCode(400)
                .body("field", is("cidr")).body("error", containsString("bits set"));
        admin().body(Map.of("cidr", "2001:DB8:0::/48")).post("/api/v1/networks").then().statusCode(201)
                .body("cidr", is("2001:db8::/48"));
        admin().get("/api/v1/networks/10.20.0.0/16").then().statusCode(200).body("description", is("office"));
        admin().body(Map.of("description", "hq")).put("/api/v1/networks/10.20.0.0/16").then().statusCode(200)
                .body("description", is("hq"));
        admin().get("/api/v1/networks").then().statusCode(200).body("cidr", hasItem("2001:db8::/48"));
        admin().delete("/api/v1/networks/2001:db8::/48").then().statusCode(204);
        admin().delete("/api/v1/networks/10.20.0.0/16").then().statusCode(204);
        admin().get("/api/v1/networks/10.20.0.0/16").then().statusCode(404);
    }

    @Test
    void concurrentCreationsOfOneDomainGiveOne201AndOnly409s() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                answers.add(pool.submit(() -> admin().body(Map.of("name", "race.test")).post("/api/v1/domains").statusCode()));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : answers) {
                statuses.add(f.get());
            }
            assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
            assertEquals(5, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theApiIsDescribedByOpenApi() {
        given().get("/q/openapi").then().statusCode(200)
                .body(containsString("/api/v1/accounts/{address}/password"))
                .body(containsString("/api/v1/networks/{address}/{prefix}"))
                .body(containsString("admin-token"));
    }

    private static String storedHash(String address) throws Exception {
        try (Connection c = Infra.postgres().connect();
                PreparedStatement s = c.prepareStatement("SELECT password_hash FROM policy.accounts WHERE address = ?")) {
            s.setString(1, address);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next(), address);
                return rs.getString(1);
            }
        }
    }
}
