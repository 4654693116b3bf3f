package org.mailroom.policy.routing;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.mailroom.policy.publish.DirectorySync;

/** Ready when the directory is loaded and published, and the routing and status loops hold their Kafka clients. */
@Readiness
@ApplicationScoped
public class RoutingHealth implements HealthCheck {

    private final DirectorySync sync;
    private final RoutingConsumer routing;
    private final StatusConsumer statusBounces;

    public RoutingHealth(DirectorySync sync, RoutingConsumer routing, StatusConsumer statusBounces) {
        this.sync = sync;
        this.routing = routing;
        this.statusBounces = statusBounces;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("policy")
                .status(sync.ready() && routing.ready() && statusBounces.ready())
                .withData("directory", sync.ready())
                .withData("routing", routing.ready())
                .withData("statusBounces", statusBounces.ready())
                .build();
    }
}
