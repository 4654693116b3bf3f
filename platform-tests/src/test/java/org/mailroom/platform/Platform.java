package org.mailroom.platform;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The whole platform started as an operator starts it ({@code deploy/local/up}), beside any other
 * running one: its own state folder and ports shifted by {@link #OFFSET}. One per test JVM.
 */
final class Platform {

    static final int OFFSET = 20000;
    static final String TOKEN = UUID.randomUUID().toString();
    static final Path ROOT = Path.of(System.getProperty("mailroom.root", "..")).toAbsolutePath().normalize();
    static final Path STATE = ROOT.resolve("platform-tests/target/platform-state");

    private static boolean started;

    static synchronized void up() {
        if (started) {
            return;
        }
        run(List.of(ROOT.resolve("deploy/local/up").toString()), Duration.ofMinutes(6));
        started = true;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                down();
            } catch (RuntimeException e) {
                System.err.println("platform down failed: " + e.getMessage());
            }
        }));
    }

    static synchronized void down() {
        if (started) {
            run(List.of(ROOT.resolve("deploy/local/down").toString()), Duration.ofMinutes(2));
            started = false;
        }
    }

    /** Runs one of deploy/local's commands with this platform's environment; its output, or a failure. */
    static String run(List<String> command, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).directory(ROOT.toFile());
        pb.environment().putAll(environment());
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command + " timed out:\n" + out);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(command + " exited " + p.exitValue() + ":\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put("MAILROOM_STATE", STATE.toString());
        env.put("MAILROOM_PORT_OFFSET", String.valueOf(OFFSET));
        env.put("MAILROOM_KAFKA_PORT", String.valueOf(9092 + OFFSET));
        env.put("MAILROOM_KAFKA_CONTROLLER_PORT", String.valueOf(9093 + OFFSET));
        env.put("MAILROOM_PG_PORT", String.valueOf(5432 + OFFSET));
        env.put("MAILROOM_SKIP_BUILD", "1");
        env.put("MAILROOM_ADMIN_TOKEN", TOKEN);
        return env;
    }

    static int http(String service) {
        return switch (service) {
            case "smtp-ingress" -> 8081 + OFFSET;
            case "policy-service" -> 8082 + OFFSET;
            case "delivery-service" -> 8083 + OFFSET;
            case "mailbox-service" -> 8084 + OFFSET;
            default -> throw new IllegalArgumentException(service);
        };
    }

    static final int SMTP = 2525 + OFFSET;
    static final int SUBMISSION = 2587 + OFFSET;
    static final int SUBMISSIONS = 2465 + OFFSET;
    static final int POP3 = 2110 + OFFSET;
    static final int POP3S = 2995 + OFFSET;
    static final int IMAP = 2143 + OFFSET;
    static final int IMAPS = 2993 + OFFSET;

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** GET on a service's HTTP port: status code, or -1 when nothing answers. */
    static int status(String service, String path) {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http(service) + path))
                    .timeout(Duration.ofSeconds(10)).GET().build();
            return HTTP.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static String get(String service, String path) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http(service) + path))
                .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(10)).GET().build();
        return HTTP.send(req, HttpResponse.BodyHandlers.ofString()).body();
    }

    /** POST JSON with the admin token: the status code and body. */
    static HttpResponse<String> post(String service, String path, String json) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http(service) + path))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString(json)).build();
        return HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    }

    /** DELETE with the admin token. */
    static HttpResponse<String> delete(String service, String path) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http(service) + path))
                .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(20)).DELETE().build();
        return HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    }

    static long kafkaPid() throws IOException {
        return Long.parseLong(Files.readString(STATE.resolve("run/kafka.pid")).strip());
    }

    private Platform() {}
}
