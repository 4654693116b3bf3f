package org.mailroom.policy;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** Helpers for the admin API tests: an authenticated request, and waiting for readiness. */
public final class Api {

    public static final String TOKEN = "test-admin-token";

    public static RequestSpecification admin() {
        return given().auth().oauth2(TOKEN).contentType(ContentType.JSON);
    }

    /** Until /q/health/ready answers 200 (the directory snapshot and the routing loop are up). */
    public static void awaitReady() throws InterruptedException {
        await(() -> given().get("/q/health/ready").statusCode() == 200, Duration.ofSeconds(60));
    }

    public static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not true within " + timeout);
            }
            Thread.sleep(200);
        }
    }

    private Api() {}
}
