package dev.keel.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The connections of one journal database: a writer pool (SQLite: one connection) and a reader pool, migrated by
 * Flyway before first use.
 *
 * @param description where the journal lives, without credentials, for messages
 * @param locks       the accounts' locks that every process on this database sees
 */
record Database(Dialect dialect, DataSource writer, DataSource reader, String description,
                List<HikariDataSource> pools, ProcessLock locks) implements AutoCloseable {
    /** SQLite waits this long for a lock another process holds before failing a statement. */
    static final int SQLITE_BUSY_TIMEOUT_MS = 10_000;
    /** Readers on one SQLite file; WAL lets them run beside the writer. */
    static final int SQLITE_READERS = 16;
    /** Connections to PostgreSQL, shared by the writer thread and readers. */
    static final int POSTGRES_POOL = 6;
    /** How long a PostgreSQL connection attempt may take before the journal reports the server gone: 5 s. */
    static final long POSTGRES_CONNECT_TIMEOUT_MS = 5_000;
    /** Run on every PostgreSQL connection as it opens. */
    static final String POSTGRES_SESSION = "SET synchronous_commit = on";
    /** The driver's property that sends a batch of inserts as multi-row statements. */
    static final String POSTGRES_BATCHED_INSERTS = "reWriteBatchedInserts";

    static Database sqlite(Path file) {
        String url = "jdbc:sqlite:" + file;
        migrate(Dialect.SQLITE, sqliteSource(url, false));
        HikariDataSource writer = pool("keel-journal-writer", sqliteSource(url, true), 1);
        try {
            HikariDataSource reader = pool("keel-journal-reader", sqliteSource(url, false), SQLITE_READERS);
            return new Database(Dialect.SQLITE, writer, reader, "sqlite:" + file, List.of(writer, reader),
                    new FileLocks(file.resolveSibling(file.getFileName() + ".leases")));
        } catch (RuntimeException e) {
            writer.close();
            throw e;
        }
    }

    static Database postgres(String jdbcUrl, String description) {
        PGSimpleDataSource plain = new PGSimpleDataSource();
        plain.setURL(jdbcUrl);
        if (!jdbcUrl.contains("connectTimeout=")) {
            plain.setConnectTimeout((int) (POSTGRES_CONNECT_TIMEOUT_MS / 1000)); // the lease connection's, too
        }
        migrate(Dialect.POSTGRESQL, plain);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setPoolName("keel-journal");
        config.setMaximumPoolSize(POSTGRES_POOL);
        config.setMinimumIdle(1);
        // A server that is gone is reported in seconds, not after Hikari's default 30 s per attempt: the worker's
        // loop then stops taking events and backs off until the server answers.
        config.setConnectionTimeout(POSTGRES_CONNECT_TIMEOUT_MS);
        // A commit is on disk when it returns, whatever the server's or the database's default: with
        // synchronous_commit off PostgreSQL acknowledges commits that a crash can still take back.
        config.setConnectionInitSql(POSTGRES_SESSION);
        // A batch of inserts goes to the server as one multi-row INSERT, not one statement each: the server's work per
        // statement was most of a group commit here (issue 15: 24-26k -> 27-32k appends/s), until the append took its
        // rows in one statement of its own (PostgresAppend); an archive's ranges still go so. A URL that sets it wins.
        config.addDataSourceProperty(POSTGRES_BATCHED_INSERTS, "true");
        HikariDataSource pool = new HikariDataSource(config);
        return new Database(Dialect.POSTGRESQL, pool, pool, description, List.of(pool),
                new AdvisoryLocks(plain, description));
    }

    private static SQLiteDataSource sqliteSource(String url, boolean writer) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // FULL: a commit is on disk when it returns; WAL with NORMAL could lose the last commits on power loss.
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(SQLITE_BUSY_TIMEOUT_MS);
        config.enforceForeignKeys(true);
        if (writer) {
            // Take the write lock at BEGIN, so a transaction never fails half-way upgrading a read lock.
            config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        }
        SQLiteDataSource source = new SQLiteDataSource(config);
        source.setUrl(url);
        return source;
    }

    private static HikariDataSource pool(String name, DataSource source, int size) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(source);
        config.setPoolName(name);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        return new HikariDataSource(config);
    }

    /**
     * Brings the schema to {@link Dialect#SCHEMA_VERSION}. A database there already is left alone without starting
     * Flyway, whose scan of its migrations and of the history took a third of a read command's time (issue 15);
     * Flyway migrates a new or older one, and refuses one it cannot.
     */
    private static void migrate(Dialect dialect, DataSource source) {
        if (schemaIsCurrent(source)) {
            return;
        }
        Flyway.configure()
                .dataSource(source)
                .locations(Dialect.MIGRATIONS)
                .placeholders(dialect.placeholders())
                .loggers("slf4j")
                .load()
                .migrate();
    }

    /**
     * Whether Flyway's history says every migration up to {@link Dialect#SCHEMA_VERSION} succeeded and nothing newer
     * was applied; false when there is no history yet (a new database) or it cannot be read.
     */
    static boolean schemaIsCurrent(DataSource source) {
        try (Connection c = source.getConnection();
             PreparedStatement ps = c.prepareStatement(CURRENT_SCHEMA);
             ResultSet rs = ps.executeQuery()) {
            return rs.next() && rs.getInt(1) == Dialect.SCHEMA_VERSION && rs.getInt(2) == Dialect.SCHEMA_VERSION
                    && rs.getInt(3) == 0;
        } catch (SQLException e) {
            return false; // no history table yet, or unreadable: Flyway decides
        }
    }

    /** Versioned migrations applied, the newest version, and failed ones, from Flyway's history. */
    private static final String CURRENT_SCHEMA = "SELECT"
            + " SUM(CASE WHEN success AND version IS NOT NULL THEN 1 ELSE 0 END),"
            + " MAX(CASE WHEN success AND version IS NOT NULL THEN CAST(version AS INTEGER) END),"
            + " SUM(CASE WHEN success THEN 0 ELSE 1 END)"
            + " FROM flyway_schema_history";

    @Override
    public void close() {
        pools.forEach(HikariDataSource::close);
    }
}
