package org.mailroom.mailbox.directory;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** DOWN until the directory read model has caught up with mail.directory (logins need it). */
@Readiness
@ApplicationScoped
public class DirectoryReadiness implements HealthCheck {

    private final Directory directory;

    public DirectoryReadiness(Directory directory) {
        this.directory = directory;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("directory read model").status(directory.caughtUp())
                .withData("lag", directory.lag()).build();
    }
}
