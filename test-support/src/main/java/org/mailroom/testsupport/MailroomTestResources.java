package org.mailroom.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * The Quarkus test resource every service uses: points the application at the shared real broker
 * and, when the service has a database ({@code database=true} argument, the default), at this
 * JVM's own database. Consumer groups get this JVM's prefix.
 *
 * <pre>{@code @QuarkusTest @WithTestResource(MailroomTestResources.class) class FooIT { ... }}</pre>
 * or, for a service without a database,
 * {@code @WithTestResource(value = MailroomTestResources.class, initArgs = @ResourceArg(name = "database", value = "false"))}.
 */
public class MailroomTestResources implements QuarkusTestResourceLifecycleManager {

    private boolean database = true;

    @Override
    public void init(Map<String, String> initArgs) {
        database = !"false".equals(initArgs.get("database"));
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        KafkaServer kafka = Infra.kafka();
        config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        config.put("mailroom.test.group-prefix", Infra.runName());
        config.put("mailroom.tls.cert", TestTls.certificate().toString());
        config.put("mailroom.tls.key", TestTls.key().toString());
        if (database) {
            PostgresServer pg = Infra.postgres();
            config.put("quarkus.datasource.jdbc.url", pg.jdbcUrl());
            config.put("quarkus.datasource.reactive.url", pg.reactiveUrl());
            config.put("quarkus.datasource.username", pg.username());
            config.put("quarkus.datasource.password", pg.password());
        }
        return config;
    }

    @Override
    public void stop() {
        // Shared for the whole JVM; stopped by the shutdown hooks of Infra.
    }
}
