package org.mailroom.policy;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A stand-in for mailbox-service's usage API ({@code GET /api/v1/usage/{address}}), on an ephemeral
 * port. Its answer depends on the local part, so tests need no shared state: {@code full*} holds 3
 * messages, {@code empty*} holds none, {@code down*} gets 503, anything else 404 (no mailbox); like
 * mailbox-service, it answers 401 without the admin token.
 */
public class MailboxStub implements QuarkusTestResourceLifecycleManager {

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/api/v1/usage/", exchange -> {
            String address = URLDecoder.decode(exchange.getRequestURI().getRawPath().substring("/api/v1/usage/".length()),
                    StandardCharsets.UTF_8);
            int status;
            String body;
            if (!("Bearer " + Api.TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                status = 401;
                body = "{}";
            } else if (address.startsWith("full")) {
                status = 200;
                body = "{\"address\":\"" + address + "\",\"messages\":3,\"bytes\":4096}";
            } else if (address.startsWith("empty")) {
                status = 200;
                body = "{\"address\":\"" + address + "\",\"messages\":0,\"bytes\":0}";
            } else if (address.startsWith("down")) {
                status = 503;
                body = "{}";
            } else {
                status = 404;
                body = "{}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        return Map.of("policy.mailbox-service-url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
