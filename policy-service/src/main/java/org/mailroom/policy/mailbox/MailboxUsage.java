package org.mailroom.policy.mailbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.mailroom.policy.config.PolicyConfig;

/**
 * Asks mailbox-service how much mail an account's mailboxes hold, before the account (or its
 * domain) is removed: {@code GET {policy.mailbox-service-url}/api/v1/usage/{address}} answers
 * {@code {"address":..,"messages":n,"bytes":n}}, or 404 when it has no mailbox for the address; it
 * takes the platform's admin token ({@code MAILROOM_ADMIN_TOKEN}) as a bearer token too.
 * Never blocks: the answer comes back on the caller's Vert.x context.
 */
@ApplicationScoped
public class MailboxUsage {

    /** What mailbox-service said. */
    public sealed interface Usage permits Holds, Unreachable {}

    /** The mailboxes hold {@code messages} messages ({@code bytes} octets); 0 when there is no mailbox. */
    public record Holds(long messages, long bytes) implements Usage {}

    /** No usable answer: the refusal to delete must say so. */
    public record Unreachable(String reason) implements Usage {}

    private final PolicyConfig config;
    private final ObjectMapper json;
    private final HttpClient client;

    public MailboxUsage(PolicyConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
        this.client = HttpClient.newBuilder().connectTimeout(config.mailboxServiceTimeout()).build();
    }

    public Uni<Usage> of(String address) {
        String base = config.mailboxServiceUrl().toString().replaceAll("/+$", "");
        URI uri = URI.create(base + "/api/v1/usage/" + URLEncoder.encode(address, StandardCharsets.UTF_8).replace("+", "%20"));
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(config.mailboxServiceTimeout())
                .header("Accept", "application/json").GET();
        // mailbox-service guards its API with the same platform admin token.
        config.adminToken().filter(t -> !t.isBlank()).ifPresent(t -> builder.header("Authorization", "Bearer " + t));
        HttpRequest request = builder.build();
        Context context = Vertx.currentContext();
        Uni<Usage> answer = Uni.createFrom().completionStage(() -> client.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
                .map(this::usage)
                .onFailure().recoverWithItem(e -> new Unreachable(uri + ": " + e));
        return context == null ? answer : answer.emitOn(r -> context.runOnContext(v -> r.run()));
    }

    private Usage usage(HttpResponse<String> response) {
        if (response.statusCode() == 404) {
            return new Holds(0, 0);
        }
        if (response.statusCode() != 200) {
            return new Unreachable(response.uri() + " answered " + response.statusCode());
        }
        try {
            JsonNode body = json.readTree(response.body());
            if (!body.path("messages").canConvertToLong()) {
                return new Unreachable(response.uri() + " answered without \"messages\"");
            }
            return new Holds(body.path("messages").asLong(), body.path("bytes").asLong());
        } catch (Exception e) {
            return new Unreachable(response.uri() + " answered malformed JSON");
        }
    }
}
