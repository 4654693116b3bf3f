package org.mailroom.mailbox.store;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * Runs Hibernate Reactive work from code that has no safe context of its own (a raw NetServer
 * handler, a worker thread): Hibernate Reactive refuses to run elsewhere than on a duplicated
 * Vert.x context marked safe (quarkusio/quarkus#29291). Each call gets a fresh one, so no session
 * leaks from one command to the next.
 */
public final class SafeContext {

    public static <T> Uni<T> run(Vertx vertx, Supplier<Uni<T>> work) {
        Context current = Vertx.currentContext();
        Context duplicated = VertxContext.createNewDuplicatedContext(current != null ? current : vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(duplicated, true);
        return Uni.createFrom().emitter(emitter -> duplicated.runOnContext(ignored -> {
            Uni<T> uni;
            try {
                uni = work.get();
            } catch (RuntimeException e) {
                emitter.fail(e);
                return;
            }
            uni.subscribe().with(emitter::complete, emitter::fail);
        }));
    }

    private SafeContext() {}
}
