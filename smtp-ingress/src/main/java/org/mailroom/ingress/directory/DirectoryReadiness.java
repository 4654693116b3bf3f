package org.mailroom.ingress.directory;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only when the directory read model caught up with mail.directory and is being followed. */
@Readiness
@ApplicationScoped
public class DirectoryReadiness implements HealthCheck {

    private final DirectoryLoader loader;

    public DirectoryReadiness(DirectoryLoader loader) {
        this.loader = loader;
    }

    @Override
    public HealthCheckResponse call() {
        DirectoryReadModel model = loader.model();
        return HealthCheckResponse.named("directory read model")
                .status(model.usable())
                .withData("caughtUp", model.caughtUp())
                .withData("entries", model.size())
                .build();
    }
}
