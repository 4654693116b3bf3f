package org.mailroom.mailbox.usage;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import org.mailroom.mailbox.config.MailboxConfig;
import org.mailroom.mailbox.store.MessageStore;

/**
 * {@code GET /api/v1/usage/{address}}: what an account holds, over all its mailboxes, so
 * policy-service can refuse to delete an account that still has mail. Bearer token
 * {@code mailbox.admin-token} ({@code MAILROOM_ADMIN_TOKEN}); 404 when the account has no mailbox.
 */
@Path("/api/v1/usage")
public class UsageResource {

    /** The body of a 200. */
    public record Usage(String address, long messages, long bytes) {}

    private final MessageStore store;
    private final MailboxConfig config;

    public UsageResource(MessageStore store, MailboxConfig config) {
        this.store = store;
        this.config = config;
    }

    @GET
    @Path("{address}")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> usage(@PathParam("address") String address, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        if (!authorized(authorization)) {
            return Uni.createFrom().item(Response.status(Response.Status.UNAUTHORIZED)
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"mailroom\"")
                    .entity(Map.of("error", "bearer token required")).build());
        }
        return store.usage(address).map(found -> found
                .map(u -> Response.ok(new Usage(address, u.messages(), u.bytes())).build())
                .orElseGet(() -> Response.status(Response.Status.NOT_FOUND)
                        .entity(Map.of("error", "no mailboxes for " + address)).build()));
    }

    private boolean authorized(String header) {
        String token = config.adminToken().orElse("");
        if (token.isEmpty() || header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(header.substring(7).trim().getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }
}
