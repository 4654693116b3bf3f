package org.mailroom.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The real Kafka broker and PostgreSQL server that every test in this JVM shares, provisioned once
 * and chosen in this order, with no hand editing:
 * <ol>
 *   <li>servers named by the environment: {@code MAILROOM_TEST_KAFKA_BOOTSTRAP} (host:port) and
 *       {@code MAILROOM_TEST_DATABASE_URL} ({@code postgresql://user:password@host:port/db});</li>
 *   <li>Testcontainers, when a Docker engine answers;</li>
 *   <li>embedded: an in-JVM KRaft broker ({@code KafkaClusterTestKit}) and embedded PostgreSQL
 *       (zonky), which need nothing installed.</li>
 * </ol>
 * Each JVM (one Maven module's tests) gets its own database on that server and its own consumer
 * group prefix, so tests never collide with each other or with a running platform.
 */
public final class Infra {

    private static final Logger LOG = Logger.getLogger(Infra.class);

    private static KafkaServer kafka;
    private static PostgresServer postgres;

    /** Which provider was chosen: {@code env}, {@code testcontainers} or {@code embedded}. */
    public static String mode() {
        if (System.getenv("MAILROOM_TEST_KAFKA_BOOTSTRAP") != null) {
            return "env";
        }
        return dockerAvailable() ? "testcontainers" : "embedded";
    }

    public static synchronized KafkaServer kafka() {
        if (kafka == null) {
            String env = System.getenv("MAILROOM_TEST_KAFKA_BOOTSTRAP");
            if (env != null && !env.isBlank()) {
                kafka = KafkaServer.external(env);
            } else if (dockerAvailable()) {
                kafka = KafkaServer.testcontainers();
            } else {
                kafka = KafkaServer.embedded();
            }
            kafka.createTopics();
            LOG.infof("test Kafka (%s): %s", kafka.kind(), kafka.bootstrapServers());
            Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "test-kafka-stop"));
        }
        return kafka;
    }

    public static synchronized PostgresServer postgres() {
        if (postgres == null) {
            String env = System.getenv("MAILROOM_TEST_DATABASE_URL");
            if (env != null && !env.isBlank()) {
                postgres = PostgresServer.external(env);
            } else if (dockerAvailable()) {
                postgres = PostgresServer.testcontainers();
            } else {
                postgres = PostgresServer.embedded();
            }
            LOG.infof("test PostgreSQL (%s): %s", postgres.kind(), postgres.jdbcUrl());
            Runtime.getRuntime().addShutdownHook(new Thread(postgres::close, "test-postgres-stop"));
        }
        return postgres;
    }

    /** A name unique to this test JVM, usable as a database name or group id prefix. */
    public static String runName() {
        return RunName.VALUE;
    }

    /**
     * Docker only when a socket or DOCKER_HOST is there: asking Testcontainers on a machine without
     * a daemon costs seconds and fills the log with errors.
     */
    static boolean dockerAvailable() {
        if ("false".equalsIgnoreCase(System.getenv("MAILROOM_TEST_DOCKER"))) {
            return false;
        }
        if (System.getenv("DOCKER_HOST") == null && !Files.exists(Path.of("/var/run/docker.sock"))) {
            return false;
        }
        try {
            return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static final class RunName {
        static final String VALUE = build();

        private static String build() {
            String module = Optional.ofNullable(Path.of(System.getProperty("user.dir")).getFileName())
                    .map(Path::toString).orElse("test");
            String clean = module.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
            return "mrtest_" + clean + "_" + Long.toHexString(System.nanoTime() & 0xffffffL);
        }
    }

    private Infra() {}
}
