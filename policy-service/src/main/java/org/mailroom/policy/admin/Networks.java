package org.mailroom.policy.admin;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.mailroom.core.event.DirectoryEntry;
import org.mailroom.policy.directory.Cidr;
import org.mailroom.policy.directory.DirectoryStore;

/**
 * Trusted networks: {@code /api/v1/networks}, one resource per CIDR at
 * {@code /api/v1/networks/{address}/{prefix}} (for example {@code /api/v1/networks/10.0.0.0/8}).
 * Clients from these networks are local senders (ARCHITECTURE.md, "Relay policy"): keep the list short.
 */
@Path("/api/v1/networks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "networks")
@SecurityRequirement(name = "admin-token")
public class Networks {

    /** {@code cidr}: IPv4 or IPv6 in CIDR notation; a bare address is a host (/32, /128). */
    public record NetworkRequest(String cidr, String description) {}

    private final Changes changes;
    private final DirectoryStore store;

    public Networks(Changes changes, DirectoryStore store) {
        this.changes = changes;
        this.store = store;
    }

    @GET
    public Uni<List<DirectoryStore.Network>> list() {
        return Panache.withSession(store::networks);
    }

    @GET
    @Path("{address}/{prefix}")
    public Uni<DirectoryStore.Network> get(@PathParam("address") String address, @PathParam("prefix") String prefix) {
        String cidr = cidr("cidr", address + "/" + prefix);
        return Panache.withSession(() -> store.network(cidr)).map(n -> n.orElseThrow(() -> notFound(cidr)));
    }

    @POST
    public Uni<Response> create(NetworkRequest request) {
        NetworkRequest req = Domains.body(request);
        String cidr = cidr("cidr", req.cidr());
        return changes.apply(() -> store.canonicalCidr(cidr).chain(canonical -> store.insertNetwork(canonical, req.description())
                        .chain(inserted -> {
                            if (inserted == 0) {
                                throw ApiException.conflict("cidr", "network " + canonical + " exists");
                            }
                            return store.network(canonical).map(n -> Changes.Change.upsert(n.orElseThrow(),
                                    new DirectoryEntry.Network(canonical)));
                        })))
                .map(n -> Response.created(URI.create("/api/v1/networks/" + n.cidr())).entity(n).build());
    }

    /** Changes the description. */
    @PUT
    @Path("{address}/{prefix}")
    public Uni<DirectoryStore.Network> update(@PathParam("address") String address, @PathParam("prefix") String prefix,
            NetworkRequest request) {
        NetworkRequest req = Domains.body(request);
        String cidr = cidr("cidr", address + "/" + prefix);
        return changes.apply(() -> store.canonicalCidr(cidr).chain(canonical -> store.updateNetwork(canonical, req.description())
                .chain(updated -> {
                    if (updated == 0) {
                        throw notFound(canonical);
                    }
                    return store.network(canonical).map(n -> Changes.Change.upsert(n.orElseThrow(),
                            new DirectoryEntry.Network(canonical)));
                })));
    }

    @DELETE
    @Path("{address}/{prefix}")
    public Uni<Response> delete(@PathParam("address") String address, @PathParam("prefix") String prefix) {
        String cidr = cidr("cidr", address + "/" + prefix);
        return changes.apply(() -> store.canonicalCidr(cidr).chain(canonical -> store.deleteNetwork(canonical)
                        .map(deleted -> {
                            if (deleted == 0) {
                                throw notFound(canonical);
                            }
                            return Changes.Change.removal(canonical, List.of(new DirectoryEntry.Network(canonical).key()));
                        })))
                .map(x -> Response.noContent().build());
    }

    private static String cidr(String field, String text) {
        Cidr.Parsed parsed = Cidr.parse(text);
        if (parsed instanceof Cidr.Invalid invalid) {
            throw ApiException.badRequest(field, invalid.reason() + (text == null ? "" : ": " + text));
        }
        Cidr c = ((Cidr.Valid) parsed).cidr();
        return c.toString();
    }

    private static ApiException notFound(String cidr) {
        return ApiException.notFound("cidr", "no network " + cidr);
    }
}
