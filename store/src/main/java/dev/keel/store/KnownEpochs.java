package dev.keel.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/**
 * The lease epochs a SQLite journal's writer read or moved, kept between its batches for as long as no other
 * connection has written to the database: a fenced append is then admitted without a read of its account's epoch.
 * That read was one query per account and batch on the writer's single thread (group commit of 64 fenced accounts:
 * 49k appends/s against 59k unfenced, issue 15).
 *
 * <p>What it keeps is known, not assumed. SQLite tells a connection whether any other connection has committed since
 * it last looked ({@code PRAGMA data_version}), in this process or another, and every write of this process goes
 * through the writer's one connection. The writer looks once per batch, holding the database's write lock (after
 * the head's lock), so nothing can commit between the look and its own commit: another process's lease take, or
 * anything else another connection wrote, empties what is kept. So does a new connection, a failed batch, and work
 * outside batches (the inbox's, an archive). Used on the writer thread only.
 */
final class KnownEpochs {
    private static final String DATA_VERSION = "PRAGMA data_version";

    /** The accounts' epochs, as many as {@link WriterKnowledge#KNOWN}, the least recently used forgotten first. */
    private final Map<String, Long> epochs = WriterKnowledge.bounded();
    /** The connection and the data version of the last look; null when nothing is kept. */
    private Connection connection;
    private long version;
    /** Epochs read from the database rather than known; read by tests on other threads. */
    private volatile long reads;

    /**
     * {@code reads} with the epochs known answered from here, after a look at whether another connection wrote since
     * the last batch. Call it in the batch's transaction, after taking the database's write lock.
     */
    AppendSql.Reads over(Statements st, AppendSql.Reads reads) throws SQLException {
        long now = dataVersion(st);
        if (st.connection() != connection || now != version) {
            epochs.clear();
            connection = st.connection();
            version = now;
        }
        return new AppendSql.Reads() {
            @Override
            public long epoch(String accountId) throws SQLException {
                Long known = epochs.get(accountId);
                if (known != null) {
                    return known;
                }
                long read = reads.epoch(accountId);
                KnownEpochs.this.reads++;
                epochs.put(accountId, read); // read under the write lock: the epoch as the database holds it
                return read;
            }

            @Override
            public long lastSequence(String streamId) throws SQLException {
                return reads.lastSequence(streamId);
            }
        };
    }

    /** The epochs the batch's lease takes moved to, once its commit succeeded. */
    void committed(Map<String, Long> taken) {
        if (connection != null) {
            epochs.putAll(taken);
        }
    }

    /** Forgets everything: after a failed batch, or work outside batches. */
    void forget() {
        epochs.clear();
        connection = null;
    }

    /** Tests: how many epochs were read from the database. */
    long reads() {
        return reads;
    }

    private static long dataVersion(Statements st) throws SQLException {
        PreparedStatement ps = st.get(DATA_VERSION);
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("PRAGMA data_version answered nothing");
            }
            return rs.getLong(1);
        }
    }
}
