package dev.keel.store;

/** One database created for a test class on a {@link PostgresTestServer}; {@link #close()} drops it. */
public final class TestDatabase implements AutoCloseable {
    private final PostgresTestServer server;
    private final String name;
    private final String jdbcUrl;

    TestDatabase(PostgresTestServer server, String name, String jdbcUrl) {
        this.server = server;
        this.name = name;
        this.jdbcUrl = jdbcUrl;
    }

    public String name() {
        return name;
    }

    /** {@code jdbc:postgresql://host:port/keel_test_...?user=...}, also a journal URL for {@code Journals.open}. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** Drops every table, so the next test starts from an empty schema. Close every pool on it first. */
    public void clear() {
        PostgresTestServer.execute(jdbcUrl, "DROP SCHEMA public CASCADE", "CREATE SCHEMA public");
    }

    /** Runs SQL on this database, behind the back of whatever uses it. */
    public void execute(String... statements) {
        PostgresTestServer.execute(jdbcUrl, statements);
    }

    @Override
    public void close() {
        server.drop(name);
    }
}
