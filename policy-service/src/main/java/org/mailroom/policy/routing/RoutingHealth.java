package org.mailroom.policy.routing;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.mailroom.policy.publish.DirectorySync;

/** Ready when the directory is loaded and published, and the routing loop holds its Kafka clients. */
@Readiness
@ApplicationScoped
public class RoutingHealth implements HealthCheck {

    private final DirectorySync sync;
    private final RoutingConsumer routing;

    public RoutingHealth(DirectorySync sync, RoutingConsumer routing) {
        this.sync = sync;
        this.routing = routing;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("policy")
                .status(sync.ready() && routing.ready())
                .withData("directory", sync.ready())
                .withData("routing", routing.ready())
                .build();
    }
}
