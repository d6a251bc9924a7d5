package dev.keel.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The reader pool's prepared statements, kept per physical connection across the loans of that connection. SQLite
 * compiles a statement on every {@code prepareStatement}: the reads of a rebalance (its account's state before each
 * submit, the protection watch's summaries, the outbox's streams) spent an eighth of the process's CPU compiling the
 * same dozen statements again (bench/README.md, issue 15). The pool lends a connection to one thread at a time, and its
 * statements go with it. Statements are prepared on the physical connection, so the pool neither tracks nor closes
 * them when the loan ends; a statement's result set resets it when closed, so no read transaction outlives a read.
 */
final class ReaderStatements {
    private final Map<Connection, Statements> byConnection = new ConcurrentHashMap<>();

    /** The statements of the connection behind {@code lent}, a connection the pool lent to this thread. */
    Statements of(Connection lent) throws SQLException {
        Connection physical = lent.unwrap(Connection.class);
        Statements statements = byConnection.get(physical);
        if (statements == null) {
            // A connection the pool has retired (idle, too old, broken) is never lent again: drop what it held.
            byConnection.entrySet().removeIf(e -> closed(e.getKey()) && e.getValue().closeStatements(null));
            statements = new Statements(physical);
            byConnection.put(physical, statements);
        }
        return statements;
    }

    /**
     * Drops the statements of the connection behind {@code lent} after a read on it failed: whatever state they were
     * left in, the next read prepares afresh.
     */
    void forget(Connection lent, Throwable failure) {
        try {
            Statements statements = byConnection.remove(lent.unwrap(Connection.class));
            if (statements != null) {
                statements.closeStatements(failure);
            }
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /** Closes every statement; the pool closes the connections. */
    void close() {
        byConnection.values().forEach(s -> s.closeStatements(null));
        byConnection.clear();
    }

    private static boolean closed(Connection c) {
        try {
            return c.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }
}
