package org.mailroom.policy.admin;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
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
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.mailroom.core.address.MailAddress;
import org.mailroom.core.auth.PasswordHash;
import org.mailroom.policy.directory.AccountEntity;
import org.mailroom.policy.directory.DirectoryStore;

/**
 * Accounts: {@code /api/v1/accounts}. A password is hashed here (Argon2id, PHC form); a hash from
 * elsewhere (Dovecot's Argon2 or bcrypt, with or without its {@code {SCHEME}} prefix) is taken as
 * is. Hashes are published to {@code mail.directory} for SMTP AUTH and IMAP/POP3 logins, and never
 * shown by this API.
 */
@Path("/api/v1/accounts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "accounts")
@SecurityRequirement(name = "admin-token")
public class Accounts {

    /** Give {@code password} or {@code passwordHash}, not both. {@code quotaBytes} 0: no quota. */
    public record AccountRequest(String address, String password, String passwordHash, Boolean enabled, Long quotaBytes) {}

    /** Fields left out keep their value. */
    public record AccountUpdate(Boolean enabled, Long quotaBytes) {}

    public record PasswordRequest(String password, String passwordHash) {}

    public record Account(String address, String addressUnicode, String domain, boolean enabled, long quotaBytes,
            OffsetDateTime createdAt, OffsetDateTime updatedAt) {}

    private final Changes changes;
    private final DirectoryStore store;
    private final Vertx vertx;

    public Accounts(Changes changes, DirectoryStore store, Vertx vertx) {
        this.changes = changes;
        this.store = store;
        this.vertx = vertx;
    }

    @GET
    public Uni<List<Account>> list(@QueryParam("domain") String domain) {
        if (domain != null && !domain.isBlank()) {
            String d = Validation.domain("domain", domain);
            return Panache.withSession(() -> AccountEntity.<AccountEntity>list("domain", Sort.by("address"), d))
                    .map(all -> all.stream().map(Accounts::view).toList());
        }
        return Panache.withSession(() -> AccountEntity.<AccountEntity>listAll(Sort.by("address")))
                .map(all -> all.stream().map(Accounts::view).toList());
    }

    @GET
    @Path("{address}")
    public Uni<Account> get(@PathParam("address") String address) {
        String key = Validation.pathAddress(address);
        return Panache.withSession(() -> AccountEntity.<AccountEntity>findById(key)).map(a -> view(found(a, key)));
    }

    @POST
    public Uni<Response> create(AccountRequest request) {
        AccountRequest req = Domains.body(request);
        MailAddress address = Validation.address("address", req.address());
        long quota = quota(req.quotaBytes());
        return hash(req.password(), req.passwordHash()).chain(hash -> changes.apply(() -> store.view().chain(view -> {
            Validation.localAddress("address", req.address(), view);
            String key = address.canonical();
            if (view.accounts().containsKey(key)) {
                throw ApiException.conflict("address", "account " + Validation.unicode(address) + " exists");
            }
            if (view.aliases().containsKey(key)) {
                throw ApiException.conflict("address", "an alias " + Validation.unicode(address) + " exists");
            }
            AccountEntity a = new AccountEntity();
            a.address = key;
            a.domain = address.domain();
            a.passwordHash = hash;
            a.enabled = req.enabled() == null || req.enabled();
            a.quotaBytes = quota;
            return a.<AccountEntity>persistAndFlush().map(saved -> Changes.Change.upsert(view(saved), saved.entry()));
        }))).map(a -> Response.created(URI.create("/api/v1/accounts/" + a.address())).entity(a).build());
    }

    @PUT
    @Path("{address}")
    public Uni<Account> update(@PathParam("address") String address, AccountUpdate request) {
        AccountUpdate req = Domains.body(request);
        String key = Validation.pathAddress(address);
        Long quota = req.quotaBytes() == null ? null : quota(req.quotaBytes());
        return changes.apply(() -> AccountEntity.<AccountEntity>findById(key).map(a -> {
            found(a, key);
            if (req.enabled() != null) {
                a.enabled = req.enabled();
            }
            if (quota != null) {
                a.quotaBytes = quota;
            }
            a.updatedAt = OffsetDateTime.now();
            return Changes.Change.upsert(view(a), a.entry());
        }));
    }

    @POST
    @Path("{address}/password")
    public Uni<Response> password(@PathParam("address") String address, PasswordRequest request) {
        PasswordRequest req = Domains.body(request);
        String key = Validation.pathAddress(address);
        return Panache.withSession(() -> AccountEntity.<AccountEntity>findById(key)).invoke(a -> found(a, key))
                .chain(() -> hash(req.password(), req.passwordHash()))
                .chain(hash -> changes.apply(() -> AccountEntity.<AccountEntity>findById(key).map(a -> {
                    found(a, key).passwordHash = hash;
                    a.updatedAt = OffsetDateTime.now();
                    return Changes.Change.upsert(view(a), a.entry());
                })))
                .map(a -> Response.noContent().build());
    }

    /**
     * Refused (409, or 503 when mailbox-service cannot answer) while the mailbox holds mail, unless
     * {@code force=true}.
     */
    @DELETE
    @Path("{address}")
    public Uni<Response> delete(@PathParam("address") String address, @QueryParam("force") boolean force) {
        String key = Validation.pathAddress(address);
        return Panache.withSession(() -> AccountEntity.<AccountEntity>findById(key)).invoke(a -> found(a, key))
                .chain(() -> changes.refuseWhileMailboxesHoldMail(List.of(key), "address", force))
                .chain(() -> changes.apply(() -> AccountEntity.<AccountEntity>findById(key).chain(a ->
                        found(a, key).delete().map(v -> Changes.Change.removal(key, List.of(a.entry().key()))))))
                .map(x -> Response.noContent().build());
    }

    /** The hash to store: a new Argon2id hash (off the event loop: it costs 19 MiB and tens of ms), or an imported one. */
    private Uni<String> hash(String password, String passwordHash) {
        if (password != null && passwordHash != null) {
            throw ApiException.badRequest("password", "give password or passwordHash, not both");
        }
        if (passwordHash != null) {
            if (!PasswordHash.isSupported(passwordHash)) {
                throw ApiException.badRequest("passwordHash",
                        "not an Argon2 (PHC) or bcrypt (crypt) hash, optionally with a Dovecot {SCHEME} prefix");
            }
            return Uni.createFrom().item(passwordHash);
        }
        String clear = Validation.password("password", password);
        return vertx.executeBlocking(() -> PasswordHash.hash(clear), false);
    }

    private static long quota(Long quotaBytes) {
        if (quotaBytes == null) {
            return 0;
        }
        if (quotaBytes < 0) {
            throw ApiException.badRequest("quotaBytes", "must be 0 (no quota) or more");
        }
        return quotaBytes;
    }

    static AccountEntity found(AccountEntity a, String key) {
        if (a == null) {
            throw ApiException.notFound("address", "no account " + key);
        }
        return a;
    }

    static Account view(AccountEntity a) {
        MailAddress address = MailAddress.of(a.address);
        return new Account(a.address, Validation.unicode(address), a.domain, a.enabled, a.quotaBytes, a.createdAt, a.updatedAt);
    }
}
