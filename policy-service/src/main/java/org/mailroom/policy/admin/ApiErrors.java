package org.mailroom.policy.admin;

import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.hibernate.exception.ConstraintViolationException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every admin API error as one JSON shape: {@code {"status":400,"field":"address","error":"..."}}. */
public class ApiErrors {

    private static final Logger LOG = Logger.getLogger(ApiErrors.class);

    /** The error body. {@code field} names the JSON field or path parameter at fault, or is null. */
    public record Error(int status, String field, String error) {}

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return of(e.status(), e.field(), e.getMessage());
    }

    /**
     * A unique key taken by a concurrent request between our check and our insert is a 409; any
     * other database failure is a server fault, logged with its stack.
     */
    @ServerExceptionMapper
    public Response database(PersistenceException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConstraintViolationException c) {
                LOG.debugf("constraint violation: %s", c.getMessage());
                return of(409, null, "conflicts with an existing entry (" + c.getConstraintName() + ")");
            }
        }
        LOG.error("admin API: database failure", e);
        return of(500, null, "database failure; see the service log");
    }

    static Response of(int status, String field, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new Error(status, field, message)).build();
    }
}
