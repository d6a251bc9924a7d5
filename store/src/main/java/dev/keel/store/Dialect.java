package dev.keel.store;

import java.sql.Connection;
import java.util.Map;

/** What differs between the two databases: the key types of the schema and how a consistent read is asked for. */
enum Dialect {
    SQLITE(Connection.TRANSACTION_SERIALIZABLE, Map.of(
            "sequence_key", "INTEGER PRIMARY KEY",
            "generated_key", "INTEGER PRIMARY KEY")),
    POSTGRESQL(Connection.TRANSACTION_REPEATABLE_READ, Map.of(
            "sequence_key", "BIGINT PRIMARY KEY",
            "generated_key", "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"));

    /** The Flyway location of the migrations, shared by both dialects. */
    static final String MIGRATIONS = "classpath:dev/keel/store/db/common";
    /**
     * The version of the newest migration under {@link #MIGRATIONS}; a new migration moves it (a test holds the two
     * together). A database at this version opens without Flyway.
     */
    static final int SCHEMA_VERSION = 7;

    private final int snapshotIsolation;
    private final Map<String, String> placeholders;

    Dialect(int snapshotIsolation, Map<String, String> placeholders) {
        this.snapshotIsolation = snapshotIsolation;
        this.placeholders = placeholders;
    }

    /** The isolation under which a multi-statement read sees one snapshot. */
    int snapshotIsolation() {
        return snapshotIsolation;
    }

    /** Flyway placeholders that fill in this dialect's column types. */
    Map<String, String> placeholders() {
        return placeholders;
    }
}
