package org.mailroom.policy.admin;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.IDN;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.mailroom.core.address.MailAddress;
import org.mailroom.core.event.DirectoryEntry;
import org.mailroom.policy.directory.AccountEntity;
import org.mailroom.policy.directory.AliasEntity;
import org.mailroom.policy.directory.DirectoryStore;
import org.mailroom.policy.directory.DirectoryView;
import org.mailroom.policy.directory.DomainEntity;

/** Hosted domains: {@code /api/v1/domains}. Names are stored as A-labels and shown in both forms. */
@Path("/api/v1/domains")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "domains")
@SecurityRequirement(name = "admin-token")
public class Domains {

    /** {@code catchAll}: the account or alias that takes mail for unknown users of the domain; null: none. */
    public record DomainRequest(String name, String catchAll) {}

    public record Domain(String name, String unicodeName, String catchAll, OffsetDateTime createdAt, OffsetDateTime updatedAt) {}

    private final Changes changes;
    private final DirectoryStore store;

    public Domains(Changes changes, DirectoryStore store) {
        this.changes = changes;
        this.store = store;
    }

    @GET
    public Uni<List<Domain>> list() {
        return Panache.withSession(() -> DomainEntity.<DomainEntity>listAll(Sort.by("name")))
                .map(all -> all.stream().map(Domains::view).toList());
    }

    @GET
    @Path("{name}")
    public Uni<Domain> get(@PathParam("name") String name) {
        String key = Validation.domain("name", name);
        return Panache.withSession(() -> DomainEntity.<DomainEntity>findById(key)).map(d -> view(found(d, key)));
    }

    @POST
    public Uni<Response> create(DomainRequest request) {
        DomainRequest req = body(request);
        String name = Validation.domain("name", req.name());
        return changes.apply(() -> store.view().chain(view -> {
            if (view.hosts(name)) {
                throw ApiException.conflict("name", "domain " + IDN.toUnicode(name) + " exists");
            }
            DomainEntity d = new DomainEntity();
            d.name = name;
            d.unicodeName = IDN.toUnicode(name);
            d.catchAll = catchAll(req.catchAll(), view.with(d.entry()));
            return d.<DomainEntity>persistAndFlush().map(saved -> Changes.Change.upsert(view(saved), saved.entry()));
        })).map(d -> Response.created(URI.create("/api/v1/domains/" + d.name())).entity(d).build());
    }

    /** Updates the catch-all (the name is the identity and cannot change). */
    @PUT
    @Path("{name}")
    public Uni<Domain> update(@PathParam("name") String name, DomainRequest request) {
        DomainRequest req = body(request);
        String key = Validation.domain("name", name);
        return changes.apply(() -> store.view().chain(view -> DomainEntity.<DomainEntity>findById(key).map(d -> {
            found(d, key);
            d.catchAll = catchAll(req.catchAll(), view);
            d.updatedAt = OffsetDateTime.now();
            return Changes.Change.upsert(view(d), d.entry());
        })));
    }

    /**
     * Removes the domain with its accounts and aliases; refused (409, or 503 when mailbox-service
     * cannot answer) while any of its accounts' mailboxes hold mail, unless {@code force=true}.
     */
    @DELETE
    @Path("{name}")
    public Uni<Response> delete(@PathParam("name") String name, @QueryParam("force") boolean force) {
        String key = Validation.domain("name", name);
        return Panache.withSession(() -> DomainEntity.<DomainEntity>findById(key)
                        .invoke(d -> found(d, key))
                        .chain(d -> AccountEntity.<AccountEntity>list("domain", key)))
                .chain(accounts -> changes.refuseWhileMailboxesHoldMail(
                        accounts.stream().map(a -> a.address).toList(), "name", force))
                .chain(() -> changes.apply(() -> AccountEntity.<AccountEntity>list("domain", key)
                        .chain(accounts -> AliasEntity.<AliasEntity>list("domain", key).chain(aliases -> {
                            List<String> removed = new ArrayList<>();
                            aliases.forEach(a -> removed.add(a.entry().key()));
                            accounts.forEach(a -> removed.add(a.entry().key()));
                            removed.add(new DirectoryEntry.Domain(key, null).key());
                            return AliasEntity.delete("domain", key)
                                    .chain(() -> AccountEntity.delete("domain", key))
                                    .chain(() -> DomainEntity.deleteById(key))
                                    .map(x -> Changes.Change.removal(removed.size(), removed));
                        }))))
                .map(n -> Response.noContent().build());
    }

    /** A catch-all must be an existing account or alias of a hosted domain. */
    static String catchAll(String text, DirectoryView view) {
        if (text == null || text.isBlank()) {
            return null;
        }
        MailAddress target = Validation.localAddress("catchAll", text, view);
        String key = target.canonical();
        if (!view.accounts().containsKey(key) && !view.aliases().containsKey(key)) {
            throw ApiException.badRequest("catchAll", "no account or alias " + Validation.unicode(target) + " here");
        }
        return key;
    }

    static DomainEntity found(DomainEntity d, String key) {
        if (d == null) {
            throw ApiException.notFound("name", "no domain " + IDN.toUnicode(key));
        }
        return d;
    }

    static <T> T body(T request) {
        if (request == null) {
            throw ApiException.badRequest("body", "a JSON object is required");
        }
        return request;
    }

    static Domain view(DomainEntity d) {
        return new Domain(d.name, d.unicodeName, d.catchAll, d.createdAt, d.updatedAt);
    }
}
