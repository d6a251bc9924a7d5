package dev.keel.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the CLI says when things are not as they should be: a damaged journal, a journal that cannot be opened, an
 * order that was already replaced, a close with nothing to close.
 */
class TroubleReportsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private String config(String journal) throws IOException {
        Path file = CommandsTest.config(dir, "");
        Files.writeString(file, Files.readString(file).replaceFirst("(?m)^journal: .*$",
                "journal: " + journal.replace("\\", "\\\\")));
        return file.toString();
    }

    @Test
    void damagedIndexMakesStatusCriticalExitFourAndEveryCommandSaysJournalCorrupt() throws Exception {
        String cfg = CommandsTest.config(dir, "").toString();
        Path db = dir.resolve("keel.db");
        assertThat(Run.of("rebalance", "--config", cfg).exitCode()).isZero();
        assertThat(Run.of("order", "close", "--symbol", "DBC", "--config", cfg).exitCode()).isZero();
        assertThat(Run.of("status", "--config", cfg).exitCode()).isZero();
        // Garbage in the index that 'tx list' reads: before, one transaction of two silently went missing.
        sql(db, "PRAGMA wal_checkpoint(TRUNCATE)");
        long page = query(db, "SELECT rootpage FROM sqlite_master WHERE name = 'streams_open'");
        long size = query(db, "PRAGMA page_size");
        try (RandomAccessFile raf = new RandomAccessFile(db.toFile(), "rw")) {
            raf.seek(page * size - 4);
            raf.write(new byte[] {-1, -1, -1, -1});
        }

        Run status = Run.of("status", "--config", cfg);
        assertThat(status.exitCode()).as(status.out() + status.err()).isEqualTo(ExitCodes.FAILED);
        assertThat(status.out()).contains("Keel is CRITICAL", "JOURNAL_CORRUPT", db.toString(), "streams_open",
                "what to do:", "backup");
        JsonNode report = JSON.readTree(Run.of("status", "--config", cfg, "--json").out());
        assertThat(report.get("status").asText()).isEqualTo("CRITICAL");
        assertThat(report.at("/findings/0/reason").asText()).contains("JOURNAL_CORRUPT", db.toString());

        Run list = Run.of("tx", "list", "--config", cfg);
        assertThat(list.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(list.out()).isEmpty();
        assertThat(list.err()).contains("JOURNAL_CORRUPT", db.toString()).doesNotContain("disk space");

        Run verify = Run.of("journal", "verify", "--full", "--config", cfg);
        assertThat(verify.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(verify.out()).contains("DAMAGED", "streams_open");
    }

    /**
     * A record among the newest whose checksum fails: the commands that write refuse the journal as they open it, and
     * {@code status} says CRITICAL; a command that reads ({@code account status}) opens it as {@code tx list} does,
     * leaving each record's checksum to the read of it: it answers from the records it reads, and refuses when it
     * reads the damaged one.
     */
    @Test
    void aDamagedRecordRefusesTheWritersAndLeavesAnAccountsStatusToItsReads() throws Exception {
        String cfg = CommandsTest.config(dir, "").toString();
        Path db = dir.resolve("keel.db");
        assertThat(Run.of("rebalance", "--config", cfg).exitCode()).isZero();
        sql(db, "UPDATE events SET payload = REPLACE(payload, 'driftThreshold', 'driftThresholt')"
                + " WHERE type = 'PlanInputsRecorded'");

        Run offline = Run.of("account", "status", "--offline", "--config", cfg);
        assertThat(offline.exitCode()).as(offline.out() + offline.err()).isZero();
        assertThat(offline.out()).contains("ACTIVE", "COMPLETED");
        Run checked = Run.of("account", "status", "--config", cfg); // its check against the broker reads the record
        assertThat(checked.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(checked.err()).contains("JOURNAL_CORRUPT", "journal record 2 is corrupt");

        Run rebalance = Run.of("rebalance", "--config", cfg);
        assertThat(rebalance.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(rebalance.err()).contains("JOURNAL_CORRUPT", "journal record 2 is corrupt");
        Run status = Run.of("status", "--config", cfg);
        assertThat(status.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(status.out()).contains("Keel is CRITICAL", "JOURNAL_CORRUPT");
        assertThat(query(db, "SELECT COUNT(*) FROM events WHERE type = 'TransactionStarted'")).isEqualTo(1);
    }

    @Test
    void configCheckOpensTheJournalAndSaysWhyAFolderCannotBeCreated() throws Exception {
        Path inTheWay = Files.writeString(dir.resolve("a-file"), "not a folder");
        String cfg = config("sqlite:" + inTheWay.resolve("keel.db"));

        Run check = Run.of("config", "check", "--config", cfg);
        assertThat(check.exitCode()).as(check.out() + check.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(check.err()).contains("journal: the journal's folder " + inTheWay + " cannot be created",
                "JOURNAL_UNAVAILABLE").doesNotContain("disk space").doesNotContain("valid");

        Run rebalance = Run.of("rebalance", "--config", cfg);
        assertThat(rebalance.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(rebalance.err()).contains("JOURNAL_UNAVAILABLE", "cannot be created").doesNotContain("disk space");
    }

    @Test
    void configCheckOpensThePostgresJournalAndSaysNothingListens() throws Exception {
        // Port 1 on loopback: nothing listens there, the connection is refused at once.
        String cfg = config("postgresql://127.0.0.1:1/keel?user=postgres");

        Run check = Run.of("config", "check", "--config", cfg, "--json");

        assertThat(check.exitCode()).isEqualTo(ExitCodes.USAGE);
        JsonNode doc = JSON.readTree(check.out());
        assertThat(doc.get("valid").asBoolean()).isFalse();
        assertThat(doc.at("/error/code").asText()).isEqualTo("JOURNAL_UNAVAILABLE");
        assertThat(doc.at("/error/message").asText()).contains("nothing answers at", "127.0.0.1:1");
        assertThat(doc.at("/errors/0/path").asText()).isEqualTo("journal");
    }

    @Test
    void modifyingAnOrderAlreadyReplacedSaysSoInsteadOfAResubmissionHint() throws Exception {
        String cfg = CommandsTest.config(dir, "").toString();
        assertThat(Run.of("order", "oco", "--symbol", "VTI", "--qty", "10", "--stop", "240", "--target", "260",
                "--config", cfg).exitCode()).isZero();
        String target = null;
        for (JsonNode o : JSON.readTree(Run.of("broker", "orders", "--config", cfg, "--json").out())) {
            if (o.path("spec").path("type").asText().equals("LIMIT")) {
                target = o.get("client_order_id").asText();
            }
        }
        assertThat(target).isNotNull();
        assertThat(Run.of("order", "modify", "--order", target, "--limit", "265", "--config", cfg).exitCode())
                .isZero();

        Run again = Run.of("order", "modify", "--order", target, "--limit", "270", "--config", cfg);

        assertThat(again.exitCode()).as(again.out() + again.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(again.err()).contains("REQUEST_REFUSED", target + " is CANCELLED at the broker",
                "modify the replacement").doesNotContain("resubmit").doesNotContain("visibility");
        Run unknown = Run.of("order", "modify", "--order", "never-placed", "--limit", "270", "--config", cfg);
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("UNKNOWN_ID", "no order 'never-placed' at the broker");
    }

    @Test
    void closingWhatIsNotHeldSaysNothingToClose() throws Exception {
        String cfg = CommandsTest.config(dir, "").toString();

        Run close = Run.of("order", "close", "--symbol", "GLD", "--config", cfg);

        assertThat(close.exitCode()).as(close.out() + close.err()).isZero();
        assertThat(close.out()).contains("COMPLETED", "nothing to close: no GLD held");
        JsonNode doc = JSON.readTree(Run.of("order", "close", "--symbol", "GLD", "--config", cfg, "--json").out());
        assertThat(doc.get("message").asText()).startsWith("nothing to close: no GLD held");
    }

    @Test
    void notificationPrintsAfterThePlanAndTheOrdersSoTheStoryReadsInOrder() throws Exception {
        Path file = CommandsTest.config(dir, "{ op: submit, kind: reject, reason: symbol-not-found, symbol: DBC }");
        Files.writeString(file, Files.readString(file).replaceFirst("(?m)^notifications: .*$",
                "notifications: [ { kind: console } ]"));
        // The console channel writes to the process's stdout, as the report does: capture both in one stream.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream stdout = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        PrintStream original = System.out;
        int code;
        System.setOut(stdout);
        try {
            code = Main.run(new String[] {"rebalance", "--config", file.toString()},
                    new PrintWriter(stdout, true, StandardCharsets.UTF_8), new PrintWriter(new StringWriter()));
        } finally {
            System.setOut(original);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertThat(code).as(out).isEqualTo(ExitCodes.PARTIAL);
        assertThat(out).contains("Plan for account main", "Orders:", "[HIGH]", "Outcome: PARTIAL");
        assertThat(out.indexOf("[HIGH]")).as(out).isGreaterThan(out.indexOf("Outcome: PARTIAL"))
                .isGreaterThan(out.indexOf("Plan for account main"));
    }

    private static long query(Path db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    private static void sql(Path db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
