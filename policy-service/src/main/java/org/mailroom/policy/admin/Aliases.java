package org.mailroom.policy.admin;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
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
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.mailroom.core.address.MailAddress;
import org.mailroom.core.event.DirectoryEntry;
import org.mailroom.core.smtp.Replies;
import org.mailroom.policy.config.PolicyConfig;
import org.mailroom.policy.directory.AliasEntity;
import org.mailroom.policy.directory.DirectoryStore;
import org.mailroom.policy.directory.DirectoryView;
import org.mailroom.policy.routing.AliasResolver;

/**
 * Aliases: {@code /api/v1/aliases}. An alias of a hosted domain has one or more targets, local
 * (accounts, other aliases, subaddresses) or remote. A new or changed alias is expanded against the
 * directory as it would be: a loop, a chain deeper than {@code policy.routing.max-alias-depth}, or a
 * local target that reaches no mailbox is refused with 400.
 */
@Path("/api/v1/aliases")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "aliases")
@SecurityRequirement(name = "admin-token")
public class Aliases {

    public record AliasRequest(String address, List<String> targets) {}

    public record Alias(String address, String addressUnicode, String domain, List<String> targets,
            OffsetDateTime createdAt, OffsetDateTime updatedAt) {}

    @Inject
    Changes changes;

    @Inject
    DirectoryStore store;

    @Inject
    PolicyConfig config;

    @GET
    public Uni<List<Alias>> list(@QueryParam("domain") String domain) {
        if (domain != null && !domain.isBlank()) {
            String d = Validation.domain("domain", domain);
            return Panache.withSession(() -> AliasEntity.<AliasEntity>list("domain", Sort.by("address"), d))
                    .map(all -> all.stream().map(Aliases::view).toList());
        }
        return Panache.withSession(() -> AliasEntity.<AliasEntity>listAll(Sort.by("address")))
                .map(all -> all.stream().map(Aliases::view).toList());
    }

    @GET
    @Path("{address}")
    public Uni<Alias> get(@PathParam("address") String address) {
        String key = Validation.pathAddress(address);
        return Panache.withSession(() -> AliasEntity.<AliasEntity>findById(key)).map(a -> view(found(a, key)));
    }

    @POST
    public Uni<Response> create(AliasRequest request) {
        AliasRequest req = Domains.body(request);
        MailAddress address = Validation.address("address", req.address());
        List<String> targets = targets(req.targets());
        return changes.apply(() -> store.view().chain(view -> {
            Validation.localAddress("address", req.address(), view);
            String key = address.canonical();
            if (view.aliases().containsKey(key)) {
                throw ApiException.conflict("address", "alias " + Validation.unicode(address) + " exists");
            }
            if (view.accounts().containsKey(key)) {
                throw ApiException.conflict("address", "an account " + Validation.unicode(address) + " exists");
            }
            AliasEntity a = new AliasEntity();
            a.address = key;
            a.domain = address.domain();
            a.targets = targets.toArray(String[]::new);
            check(a.entry(), view);
            return a.<AliasEntity>persistAndFlush().map(saved -> Changes.Change.upsert(view(saved), saved.entry()));
        })).map(a -> Response.created(URI.create("/api/v1/aliases/" + a.address())).entity(a).build());
    }

    /** Replaces the targets. */
    @PUT
    @Path("{address}")
    public Uni<Alias> update(@PathParam("address") String address, AliasRequest request) {
        AliasRequest req = Domains.body(request);
        String key = Validation.pathAddress(address);
        List<String> targets = targets(req.targets());
        return changes.apply(() -> store.view().chain(view -> AliasEntity.<AliasEntity>findById(key).map(a -> {
            found(a, key).targets = targets.toArray(String[]::new);
            check(a.entry(), view);
            a.updatedAt = OffsetDateTime.now();
            return Changes.Change.upsert(view(a), a.entry());
        })));
    }

    @DELETE
    @Path("{address}")
    public Uni<Response> delete(@PathParam("address") String address) {
        String key = Validation.pathAddress(address);
        return changes.apply(() -> AliasEntity.<AliasEntity>findById(key).chain(a ->
                        found(a, key).delete().map(v -> Changes.Change.removal(key, List.of(a.entry().key())))))
                .map(x -> Response.noContent().build());
    }

    /** Syntax of the targets: at least one, each a mailbox, no duplicates; stored as given, domains canonical. */
    static List<String> targets(List<String> targets) {
        if (targets == null || targets.isEmpty()) {
            throw ApiException.badRequest("targets", "at least one target is required");
        }
        List<String> out = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < targets.size(); i++) {
            String field = "targets[" + i + "]";
            MailAddress t = Validation.address(field, targets.get(i));
            Integer first = seen.putIfAbsent(t.canonical(), i);
            if (first != null) {
                throw ApiException.badRequest(field, "duplicate of targets[" + first + "]: " + t);
            }
            out.add(t.toString());
        }
        return out;
    }

    /** Expands the alias as routing would, against the directory with this alias in it. */
    private void check(DirectoryEntry.Alias alias, DirectoryView view) {
        AliasResolver.Resolution r = AliasResolver.resolve(MailAddress.of(alias.address()), view.with(alias),
                config.routing().maxAliasDepth());
        for (AliasResolver.Failure f : r.failures()) {
            if (f.reply() == AliasResolver.LOOP || f.reply() == AliasResolver.TOO_DEEP) {
                throw ApiException.badRequest("targets", f.reply().lines().get(0) + ": " + String.join(" -> ", f.path()));
            }
            if (f.reply() == Replies.NO_SUCH_USER) {
                throw ApiException.badRequest("targets", "no account or alias " + f.address() + " here"
                        + (f.path().size() > 2 ? " (via " + String.join(" -> ", f.path()) + ")" : ""));
            }
        }
    }

    static AliasEntity found(AliasEntity a, String key) {
        if (a == null) {
            throw ApiException.notFound("address", "no alias " + key);
        }
        return a;
    }

    static Alias view(AliasEntity a) {
        MailAddress address = MailAddress.of(a.address);
        return new Alias(a.address, Validation.unicode(address), a.domain, List.of(a.targets), a.createdAt, a.updatedAt);
    }
}
