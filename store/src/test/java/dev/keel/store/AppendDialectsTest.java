package dev.keel.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.journal.CallsDelayed;
import dev.keel.core.journal.BrokerPaused;
import dev.keel.core.journal.Journal;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.JournalSamples;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: PostgreSQL takes a batch's rows in one statement ({@link PostgresAppend}), SQLite statement by statement
 * ({@link AppendSql}). The same appends, batch for batch, must leave the same rows in both: every event with its
 * sequence, checksum and link back, every stream's view (opened, folded, ended, closed, its account, what is working),
 * the tallies and the marks. The batches are drawn from a seed: slices of transactions' histories that open, fold,
 * end and close their streams in one batch or across several, with the shared streams of brokers and notifications.
 */
class AppendDialectsTest {
    private static final long SEED = 20261207L;
    private static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");
    private static final List<String> TABLES = List.of(
            "SELECT seq, stream_id, stream_kind, account_id, type, at, payload, checksum, prev_seq FROM events"
                    + " ORDER BY seq",
            "SELECT stream_id, kind, account_id, operation, correlation_id, status, opened_at, closed_at, closed,"
                    + " error_message, first_seq, last_seq, working, working_seq FROM streams ORDER BY stream_id",
            "SELECT minute, meter, n, total, peak FROM tallies ORDER BY minute, meter",
            "SELECT minute, stream_id FROM tally_attention ORDER BY minute, stream_id",
            "SELECT last_seq, tallied_seq FROM journal_head");

    private static TestDatabase db;

    @TempDir
    Path dir;

    @BeforeAll
    static void createDatabase() {
        db = PostgresTestServer.get().createDatabase();
    }

    @AfterAll
    static void dropDatabase() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void theSameBatchesLeaveTheSameRowsInBothDatabases() throws Exception {
        List<List<JournalEvent>> batches = batches(new SplittableRandom(SEED));
        Path file = dir.resolve("journal.db");
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        Set<String> streamRowsSeen = new HashSet<>();
        try (Journal sqlite = Journals.open("sqlite:" + file, clock);
             Journal postgres = Journals.open(db.jdbcUrl(), clock);
             Connection inSqlite = DriverManager.getConnection("jdbc:sqlite:" + file);
             Connection inPostgres = DriverManager.getConnection(db.jdbcUrl())) {
            for (int b = 0; b < batches.size(); b++) {
                List<JournalEvent> batch = batches.get(b);
                assertThat(postgres.appendAll(batch)).isEqualTo(sqlite.appendAll(batch));
                // The views after every batch; the events, which only grow, once at the end.
                List<String> tables = b == batches.size() - 1 ? TABLES : TABLES.subList(1, TABLES.size());
                List<List<String>> expected = read(inSqlite, tables);
                List<List<String>> actual = read(inPostgres, tables);
                for (int t = 0; t < tables.size(); t++) {
                    assertThat(actual.get(t)).as("after batch %d: %s", b, tables.get(t))
                            .containsExactlyElementsOf(expected.get(t));
                }
                streamRowsSeen.addAll(expected.get(tables.indexOf(TABLES.get(1))));
            }
        }
        // The draw reached the ways a stream's row is written: opened, folded, ended, closed, given its account,
        // with what is working said and unsaid.
        String streams = String.join("\n", streamRowsSeen);
        assertThat(streams).contains("|IN_PROGRESS|", "|PARTIAL|", "|buy-TLT rejected|", "|rebalance|",
                "broker:alpaca|broker|null|", "broker:alpaca|broker|acct-1|");
        assertThat(streamRowsSeen).anyMatch(row -> row.matches(".*\\|1\\|\\d+$"))
                .anyMatch(row -> row.matches("tx-.*\\|1\\|.*\\|null\\|null$"));
    }

    /**
     * Batches of one to four slices, each the next one to six records of a transaction's history; a broker's stream
     * opened without an account and given one by a later batch comes first.
     */
    private static List<List<JournalEvent>> batches(SplittableRandom random) {
        List<List<JournalEvent>> histories = new ArrayList<>();
        for (int tx = 0; tx < 16; tx++) {
            histories.add(JournalSamples.everyType("tx-" + tx, "acct-" + (tx % 5)));
        }
        List<List<JournalEvent>> batches = new ArrayList<>();
        batches.add(List.of(new CallsDelayed("alpaca", 2, Duration.ofSeconds(1), T0, T0)));
        batches.add(List.of(new BrokerPaused("alpaca", "acct-1", Duration.ofSeconds(2), T0.plusSeconds(2), T0)));
        int[] next = new int[histories.size()];
        while (true) {
            List<Integer> open = new ArrayList<>();
            for (int tx = 0; tx < histories.size(); tx++) {
                if (next[tx] < histories.get(tx).size()) {
                    open.add(tx);
                }
            }
            if (open.isEmpty()) {
                return batches;
            }
            List<JournalEvent> batch = new ArrayList<>();
            int slices = 1 + random.nextInt(4);
            for (int s = 0; s < slices; s++) {
                int tx = open.get(random.nextInt(open.size()));
                List<JournalEvent> history = histories.get(tx);
                int to = Math.min(history.size(), next[tx] + 1 + random.nextInt(6));
                batch.addAll(history.subList(next[tx], to));
                next[tx] = to;
            }
            batches.add(batch);
        }
    }

    private static List<List<String>> read(Connection c, List<String> queries) throws SQLException {
        List<List<String>> tables = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            for (String sql : queries) {
                List<String> rows = new ArrayList<>();
                try (ResultSet rs = st.executeQuery(sql)) {
                    ResultSetMetaData meta = rs.getMetaData();
                    while (rs.next()) {
                        List<String> values = new ArrayList<>();
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            values.add(value(rs.getObject(i)));
                        }
                        rows.add(String.join("|", values));
                    }
                }
                tables.add(rows);
            }
        }
        return tables;
    }

    /** A value as both databases' drivers agree to print it: numbers without their type's trailing zeros. */
    private static String value(Object value) {
        if (value instanceof Number n) {
            return new BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
        }
        return String.valueOf(value);
    }
}
