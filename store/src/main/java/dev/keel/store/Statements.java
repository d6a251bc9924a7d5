package dev.keel.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The journal writer's prepared statements, kept on its one connection across batches: SQLite compiles a statement
 * on every {@code prepareStatement}, which took a tenth of the writer's time when each batch prepared its own.
 * Used by one thread at a time: the writer's, or the reader a pooled connection is lent to ({@link ReaderStatements}
 * keeps one per reader connection). The writer's are closed with its connection when that is dropped after a failure.
 */
final class Statements implements AutoCloseable {
    private final Connection connection;
    private final Map<String, PreparedStatement> prepared = new HashMap<>();

    Statements(Connection connection) {
        this.connection = connection;
    }

    Connection connection() {
        return connection;
    }

    /** The statement for {@code sql}, prepared once; its parameters are set anew by each use. */
    PreparedStatement get(String sql) throws SQLException {
        PreparedStatement ps = prepared.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql);
            prepared.put(sql, ps);
        }
        return ps;
    }

    /** Closes the statements and the connection; failures are added to {@code failure} when there is one. */
    void close(Throwable failure) {
        closeStatements(failure);
        try {
            connection.close();
        } catch (SQLException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            }
        }
    }

    /**
     * Closes the statements and leaves the connection open; failures are added to {@code failure} when there is one.
     * Returns true, for use in a predicate.
     */
    boolean closeStatements(Throwable failure) {
        for (PreparedStatement ps : prepared.values()) {
            try {
                ps.close();
            } catch (SQLException e) {
                if (failure != null) {
                    failure.addSuppressed(e);
                }
            }
        }
        prepared.clear();
        return true;
    }

    @Override
    public void close() {
        close(null);
    }
}
