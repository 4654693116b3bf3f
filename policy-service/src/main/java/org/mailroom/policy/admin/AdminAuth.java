package org.mailroom.policy.admin;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.mailroom.policy.config.PolicyConfig;

/**
 * The admin API's only door: every call (every JAX-RS request) carries {@code Authorization: Bearer
 * <token>} (RFC 6750 §2.1) equal to {@code policy.admin-token}. Without a configured token every
 * call is refused: there is no anonymous access. Failures are answered 401 with
 * {@code WWW-Authenticate} (RFC 6750 §3), counted ({@code policy_admin_auth_failures_total{reason}})
 * and logged with the client's address, never with the token presented.
 */
@ApplicationScoped
public class AdminAuth {

    private static final Logger LOG = Logger.getLogger(AdminAuth.class);

    private final byte[] expected;
    private final MeterRegistry registry;

    public AdminAuth(PolicyConfig config, MeterRegistry registry) {
        this.expected = config.adminToken().filter(t -> !t.isBlank()).map(AdminAuth::digest).orElse(null);
        this.registry = registry;
    }

    void start(@Observes StartupEvent event) {
        if (expected == null) {
            LOG.warn("policy.admin-token (MAILROOM_ADMIN_TOKEN) is not set: every admin API call will be refused");
        }
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> authenticate(ContainerRequestContext request, HttpServerRequest http) {
        // Every JAX-RS request, whatever its path spelling: the only resources here are the admin API
        // (/q/health, /q/metrics and /q/openapi are Vert.x routes and never come through this filter).
        String path = request.getUriInfo().getPath();
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String reason;
        if (expected == null) {
            reason = "no_token_configured";
        } else if (header == null) {
            reason = "missing";
        } else if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            reason = "not_bearer";
        } else if (!MessageDigest.isEqual(expected, digest(header.substring(7).trim()))) {
            reason = "invalid";
        } else {
            return Optional.empty();
        }
        registry.counter("policy.admin.auth.failures", "reason", reason).increment();
        String client = http.remoteAddress() == null ? "unknown" : http.remoteAddress().hostAddress();
        LOG.warnf("admin API: refused %s %s from %s (%s)", request.getMethod(), path, client, reason);
        return Optional.of(Response.fromResponse(
                        ApiErrors.of(401, "Authorization", "a valid bearer token is required (" + reason.replace('_', ' ') + ")"))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"mailroom-admin\"").build());
    }

    /** Counts every admin call by method and status: {@code policy_admin_requests_total}. */
    @ServerResponseFilter
    public void count(ContainerRequestContext request, ContainerResponseContext response) {
        registry.counter("policy.admin.requests", "method", request.getMethod(), "status",
                String.valueOf(response.getStatus())).increment();
    }

    /** Comparing digests keeps the comparison constant-time whatever the lengths. */
    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
