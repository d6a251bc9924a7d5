package dev.keel.store;

import static dev.keel.core.journal.JournalSamples.intent;
import static dev.keel.core.journal.JournalSamples.started;

import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.JournalSamples;
import dev.keel.core.time.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Not a test: prints append throughput (one thread, then 16 threads sharing group commits) and the time to reopen
 * a journal and read back 1,000 in-flight transactions, on SQLite and on PostgreSQL. Run its main by hand; timed
 * results belong in reports and in bench/, never in assertions.
 */
public final class JournalThroughputProbe {
    private static final int SINGLE = 300;
    private static final int THREADS = 16;
    private static final int PER_THREAD = 200;
    private static final int IN_FLIGHT = 1_000;
    private static final int VERIFIED = 100_000;

    private JournalThroughputProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("keel-probe");
        probe("sqlite", "sqlite:" + dir.resolve("append.db"), "sqlite:" + dir.resolve("recover.db"));
        PostgresTestServer server = PostgresTestServer.get();
        try (TestDatabase appends = server.createDatabase(); TestDatabase recovery = server.createDatabase()) {
            probe("postgresql", appends.jdbcUrl(), recovery.jdbcUrl());
        }
    }

    private static void probe(String name, String appendUrl, String recoveryUrl) throws Exception {
        ManualClock clock = new ManualClock(JournalSamples.T0);
        try (JdbcJournal journal = Journals.open(appendUrl, clock)) {
            long start = System.nanoTime();
            for (int i = 0; i < SINGLE; i++) {
                journal.append(intent("tx-single", "acct-1", "leg-" + i, JournalSamples.T0));
            }
            report(name, "1 thread", SINGLE, start);

            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            start = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                String txId = "tx-" + t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < PER_THREAD; i++) {
                        journal.append(intent(txId, "acct-1", "leg-" + i, JournalSamples.T0));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            report(name, THREADS + " threads", THREADS * PER_THREAD, start);
            pool.shutdown();
        }

        try (JdbcJournal journal = Journals.open(recoveryUrl, clock)) {
            List<JournalEvent> batch = new ArrayList<>();
            for (int t = 0; t < IN_FLIGHT; t++) {
                batch.add(started("tx-" + t, "acct-" + (t % 10), JournalSamples.T0));
                for (int i = 0; i < 4; i++) {
                    batch.add(intent("tx-" + t, "acct-" + (t % 10), "leg-" + i, JournalSamples.T0));
                }
            }
            journal.appendAll(batch);
        }
        long start = System.nanoTime();
        int records = 0;
        try (JdbcJournal journal = Journals.open(recoveryUrl, clock)) {
            for (String txId : journal.openStreams(JournalEvent.TRANSACTION)) {
                records += journal.stream(txId).size();
            }
        }
        System.out.printf("%-10s recovery: open + read %d in-flight transactions (%d records): %d ms%n", name,
                IN_FLIGHT, records, (System.nanoTime() - start) / 1_000_000);

        try (JdbcJournal journal = Journals.open(recoveryUrl, clock)) {
            for (int n = (int) journal.lastSequence(); n < VERIFIED; n += 1_000) {
                List<JournalEvent> chunk = new ArrayList<>();
                for (int i = 0; i < 1_000; i++) {
                    chunk.add(intent("tx-bulk-" + n, "acct-1", "leg-" + i, JournalSamples.T0));
                }
                journal.appendAll(chunk);
            }
            start = System.nanoTime();
            long checked = journal.verify();
            System.out.printf("%-10s full verify: %d records in %d ms%n", name, checked,
                    (System.nanoTime() - start) / 1_000_000);
        }
    }

    private static void report(String name, String how, int appends, long startNanos) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        System.out.printf("%-10s %-10s %6d appends in %6.2f s: %8.0f appends/s%n", name, how, appends, seconds,
                appends / seconds);
    }
}
