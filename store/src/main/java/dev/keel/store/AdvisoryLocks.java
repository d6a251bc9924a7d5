package dev.keel.store;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * PostgreSQL's session advisory locks, one per account, each on a connection of its own that lives as long as the
 * lock: the server frees it when the holder releases it or its connection drops (the process died), never later.
 */
final class AdvisoryLocks implements ProcessLock {
    /** Keyed by a 64-bit hash of the account id under Keel's own prefix, so other users of advisory locks differ. */
    private static final String TRY = "SELECT pg_try_advisory_lock(hashtextextended(?, 0))";
    private static final String UNLOCK = "SELECT pg_advisory_unlock(hashtextextended(?, 0))";
    private static final String PREFIX = "keel-account:";

    private final DataSource direct;
    private final String description;

    /** @param direct connections outside the journal's pool: each held lock keeps one */
    AdvisoryLocks(DataSource direct, String description) {
        this.direct = direct;
        this.description = description;
    }

    @Override
    public Held tryLock(String accountId) {
        String key = PREFIX + accountId;
        Connection c = null;
        try {
            c = direct.getConnection();
            c.setAutoCommit(true);
            if (!call(c, TRY, key)) {
                c.close();
                return null;
            }
            Connection held = c;
            return () -> {
                try (held) {
                    call(held, UNLOCK, key);
                } catch (SQLException e) {
                    // the lock goes with the connection, which is closed all the same
                }
            };
        } catch (SQLException e) {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new KeelException(ErrorCode.JOURNAL_UNAVAILABLE, "could not take the lock of account '"
                    + accountId + "' at " + description + ": " + e.getMessage(), dev.keel.core.error.ErrorContext.NONE, e);
        }
    }

    private static boolean call(Connection c, String sql, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
