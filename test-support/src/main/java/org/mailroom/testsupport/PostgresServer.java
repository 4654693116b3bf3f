package org.mailroom.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A real PostgreSQL server for tests, and one database on it for this JVM ({@link Infra#runName()}),
 * created on first use and dropped at exit when the server outlives the tests.
 */
public final class PostgresServer implements AutoCloseable {

    private final String kind;
    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final String adminDatabase;
    private final AutoCloseable owned;
    private final String database;

    private PostgresServer(String kind, String host, int port, String user, String password, String adminDatabase,
            AutoCloseable owned) {
        this.kind = kind;
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.adminDatabase = adminDatabase;
        this.owned = owned;
        this.database = Infra.runName();
        execute(adminDatabase, "CREATE DATABASE " + database);
    }

    static PostgresServer external(String url) {
        URI uri = URI.create(url.startsWith("jdbc:") ? url.substring(5) : url);
        String[] userInfo = uri.getUserInfo() == null ? new String[] {"postgres", ""} : uri.getUserInfo().split(":", 2);
        String db = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
        return new PostgresServer("env", uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), userInfo[0],
                userInfo.length > 1 ? userInfo[1] : "", db, null);
    }

    static PostgresServer testcontainers() {
        PostgreSQLContainer container = new PostgreSQLContainer("postgres:15-alpine");
        container.start();
        return new PostgresServer("testcontainers", container.getHost(), container.getMappedPort(5432),
                container.getUsername(), container.getPassword(), container.getDatabaseName(), container::stop);
    }

    /** Embedded PostgreSQL (zonky): binaries from Maven Central, run as an unprivileged user under root. */
    static PostgresServer embedded() {
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
            return new PostgresServer("embedded", "localhost", pg.getPort(), "postgres", "postgres", "postgres", pg);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("could not start embedded PostgreSQL", e);
        }
    }

    public String kind() {
        return kind;
    }

    public String database() {
        return database;
    }

    public String username() {
        return user;
    }

    public String password() {
        return password;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** The URL form the Vert.x reactive client takes. */
    public String reactiveUrl() {
        return "postgresql://" + host + ":" + port + "/" + database;
    }

    /** A JDBC connection to this JVM's database, for assertions in tests. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), user, password);
    }

    private void execute(String db, String sql) {
        String url = "jdbc:postgresql://" + host + ":" + port + "/" + db;
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("on " + url + ": " + sql, e);
        }
    }

    @Override
    public void close() {
        if (owned != null) {
            try {
                owned.close();
            } catch (Exception e) {
                // best effort at JVM exit
            }
        } else {
            try {
                execute(adminDatabase, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            } catch (RuntimeException e) {
                // the server may be gone already
            }
        }
    }
}
