package dev.keel.bench;

import dev.keel.core.journal.Journal;
import dev.keel.store.Journals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * A fresh, empty journal for one benchmark trial, removed afterwards: a SQLite file in a temporary folder, or a new
 * database on the PostgreSQL server at {@code -Dkeel.bench.pg=URL} (default {@value #DEFAULT_PG}).
 */
final class BenchJournal implements AutoCloseable {
    static final String DEFAULT_PG = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private final Journal journal;
    private final Path dir;
    private final String database;
    private final String adminUrl;

    private BenchJournal(Journal journal, Path dir, String database, String adminUrl) {
        this.journal = journal;
        this.dir = dir;
        this.database = database;
        this.adminUrl = adminUrl;
    }

    /** @param store {@code sqlite} or {@code postgresql} */
    static BenchJournal open(String store) {
        return switch (store) {
            case "sqlite" -> sqlite();
            case "postgresql" -> postgres();
            default -> throw new IllegalArgumentException("store must be sqlite or postgresql, but was " + store);
        };
    }

    private static BenchJournal sqlite() {
        try {
            Path dir = Files.createTempDirectory("keel-bench");
            return new BenchJournal(Journals.open("sqlite:" + dir.resolve("journal.db"), Clock.systemUTC()), dir,
                    null, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BenchJournal postgres() {
        String admin = System.getProperty("keel.bench.pg", DEFAULT_PG);
        String name = "keel_bench_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        execute(admin, "CREATE DATABASE " + name);
        String url = admin.replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1");
        return new BenchJournal(Journals.open(url, Clock.systemUTC()), null, name, admin);
    }

    Journal journal() {
        return journal;
    }

    /** The journal as the store opened it, for what only a database journal has (the event inbox). */
    dev.keel.store.JdbcJournal database() {
        return (dev.keel.store.JdbcJournal) journal;
    }

    @Override
    public void close() {
        journal.close();
        if (database != null) {
            execute(adminUrl, "DROP DATABASE IF EXISTS " + database);
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static void execute(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + url.replaceFirst("\\?.*", "") + ": " + sql
                    + " failed (set -Dkeel.bench.pg=URL, or run only -p store=sqlite)", e);
        }
    }
}
