package dev.keel.store;

import java.sql.Connection;

/** What differs between the two databases: migrations and how a consistent read is asked for. */
enum Dialect {
    SQLITE("sqlite", Connection.TRANSACTION_SERIALIZABLE),
    POSTGRESQL("postgresql", Connection.TRANSACTION_REPEATABLE_READ);

    private final String folder;
    private final int snapshotIsolation;

    Dialect(String folder, int snapshotIsolation) {
        this.folder = folder;
        this.snapshotIsolation = snapshotIsolation;
    }

    /** The Flyway location of this dialect's migrations. */
    String migrations() {
        return "classpath:dev/keel/store/db/" + folder;
    }

    /** The isolation under which a multi-statement read sees one snapshot. */
    int snapshotIsolation() {
        return snapshotIsolation;
    }
}
