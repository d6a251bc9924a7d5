package dev.keel.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command end to end through picocli, against a SQLite journal file and a paper exchange state file. */
class CommandsTest {
    @TempDir
    Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();

    private Path config(String faults) throws IOException {
        return config(dir, faults);
    }

    /** {@code keel.yaml} in {@code dir}: the sample account on a paper exchange with {@code faults}. */
    static Path config(Path dir, String faults) throws IOException {
        Path file = dir.resolve("keel.yaml");
        Files.writeString(file, """
                journal: sqlite:%1$s/keel.db
                broker:
                  kind: paper
                  paper:
                    state: %1$s/paper.db
                    seed: 42
                    cash: 10000.00
                    positions: { VTI: 50, TLT: 10 }
                    prices: { VTI: 250.00, TLT: 90.00, IEF: 95.00, GLD: 185.00, DBC: 22.00 }
                    faults: [ %2$s ]
                accounts:
                  - id: main
                    targets: { VTI: 0.30, TLT: 0.40, IEF: 0.15, GLD: 0.075, DBC: 0.075 }
                notifications: [ { kind: file, path: %1$s/notifications.log } ]
                """.formatted(dir, faults));
        return file;
    }

    @Test
    void rebalanceCompletesThenTheLogTheBrokerAndReconcileAgree() throws IOException {
        String cfg = config("").toString();

        Run dry = Run.of("rebalance", "--config", cfg, "--dry-run", "--json");
        assertThat(dry.exitCode()).as(dry.err()).isZero();
        assertThat(JSON.readTree(dry.out()).at("/plan/rebalance_needed").asBoolean()).isTrue();

        Run run = Run.of("rebalance", "--config", cfg, "--json");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        JsonNode report = JSON.readTree(run.out());
        assertThat(report.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(report.get("executed_orders")).hasSize(5);
        assertThat(run.err()).as("progress stays off stdout and is silent in JSON mode").doesNotContain("[5/5]");
        String txId = report.get("transaction_id").asText();

        Run list = Run.of("tx", "list", "--config", cfg, "--json");
        JsonNode row = JSON.readTree(list.out()).get(0);
        assertThat(row.get("transaction_id").asText()).isEqualTo(txId);
        assertThat(row.fieldNames()).toIterable().containsExactly("transaction_id", "account", "operation", "status",
                "started_at", "ended_at", "error_message");

        Run show = Run.of("tx", "show", txId, "--config", cfg, "--json");
        JsonNode tx = JSON.readTree(show.out());
        assertThat(tx.fieldNames()).toIterable().contains("transaction_id", "timestamp", "operation",
                "target_orders", "executed_orders", "status", "error_message", "reconciliation_notes");
        assertThat(tx.at("/executed_orders/0").fieldNames()).toIterable().contains("ticker", "side", "amount_usd",
                "status", "order_id", "client_order_id", "error_code", "error_message", "retry_count", "timestamp");
        assertThat(tx.at("/executed_orders/0/client_order_id").asText()).isEqualTo(txId + ":sell-VTI");

        Run positions = Run.of("broker", "positions", "--config", cfg);
        assertThat(positions.out()).contains("SYMBOL", "VTI", "TLT", "IEF", "GLD", "DBC");

        Run orders = Run.of("broker", "orders", "--config", cfg);
        assertThat(orders.out()).contains("No open orders.");

        Run reconcile = Run.of("reconcile", "--config", cfg);
        assertThat(reconcile.exitCode()).as(reconcile.out() + reconcile.err()).isZero();
        assertThat(reconcile.out()).contains("Consistent: the broker holds what the journal says.");

        Run again = Run.of("rebalance", "--config", cfg, "--json");
        assertThat(again.exitCode()).isZero();
        String checkId = JSON.readTree(again.out()).get("transaction_id").asText();
        assertThat(checkId).as("a check that needed nothing is journaled too").isNotEqualTo(txId).isNotBlank();
        JsonNode check = JSON.readTree(Run.of("tx", "show", checkId, "--config", cfg, "--json").out());
        assertThat(check.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(check.get("executed_orders")).isEmpty();
        assertThat(check.get("reconciliation_notes").asText()).contains("nothing sent");

        Run recover = Run.of("recover", "--config", cfg);
        assertThat(recover.out()).contains("Nothing to recover");

        Run kept = Run.of("tx", "archive", "--config", cfg, "--dir", dir.resolve("archive").toString());
        assertThat(kept.out()).contains("Nothing to archive");
        Run archived = Run.of("tx", "archive", "--config", cfg, "--older-than", "0s",
                "--dir", dir.resolve("archive").toString());
        assertThat(archived.exitCode()).as(archived.err()).isZero();
        assertThat(archived.out()).contains("Archived 2 transaction(s)");
        assertThat(Run.of("tx", "list", "--config", cfg).out()).as("the log says where the transaction went")
                .contains("No transactions in the live journal.", "2 ended transaction(s) were archived",
                        dir.resolve("archive").toString(), "zcat FILE | jq")
                .doesNotContain("No transactions yet.");
        try (var files = Files.list(dir.resolve("archive"))) {
            assertThat(files.toList()).singleElement();
        }
    }

    @Test
    void rejectedBuyExitsThreeForPartialAndTheNotificationIsWritten() throws IOException {
        String cfg = config("{ op: submit, kind: reject, reason: symbol-not-found, symbol: DBC }").toString();

        Run run = Run.of("rebalance", "--config", cfg);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.PARTIAL);
        assertThat(run.out()).contains("Outcome: PARTIAL (SYMBOL_NOT_FOUND)", "How Keel recovered:",
                "buy-DBC: attempt 1 SYMBOL_NOT_FOUND");
        assertThat(run.err()).contains("[1/5] SELL VTI", "[5/5] BUY TLT");
        assertThat(Files.readString(dir.resolve("notifications.log"))).contains("PARTIAL");
    }

    /**
     * A transaction whose events cannot be folded (an order moved from FILLED back to ACCEPTED, as a bug once wrote)
     * is shown as written, with why it cannot be folded, instead of failing the command.
     */
    @Test
    void aTransactionWhoseEventsCannotBeFoldedIsShownAsWritten() throws IOException {
        String cfg = config("").toString();
        java.time.Instant at = java.time.Instant.parse("2026-03-02T15:00:00Z");
        var spec = dev.keel.core.model.OrderSpec.marketQty(dev.keel.core.model.Symbol.of("VTI"),
                dev.keel.core.model.Side.SELL, new java.math.BigDecimal("10"));
        try (var journal = dev.keel.store.Journals.open("sqlite:" + dir.resolve("keel.db"), java.time.Clock.systemUTC())) {
            journal.appendAll(java.util.List.of(
                    new dev.keel.core.journal.TransactionStarted("tx-bad", "main", "rebalance", "tx-bad",
                            java.util.List.of(new dev.keel.core.model.PlannedOrder("sell-VTI", spec,
                                    new java.math.BigDecimal("2500.00"))),
                            new dev.keel.core.model.AccountSnapshot("main", new java.math.BigDecimal("10000.00"),
                                    new java.math.BigDecimal("10000.00"), java.util.List.of(), at),
                            java.math.BigDecimal.ZERO, at),
                    new dev.keel.core.journal.OrderIntentRecorded("tx-bad", "main", "sell-VTI", "tx-bad:sell-VTI",
                            spec, at),
                    new dev.keel.core.journal.OrderUpdated("tx-bad", "main", "tx-bad:sell-VTI", "b-1",
                            dev.keel.core.model.OrderState.FILLED, new java.math.BigDecimal("10"),
                            new java.math.BigDecimal("250.00"), at),
                    new dev.keel.core.journal.OrderUpdated("tx-bad", "main", "tx-bad:sell-VTI", "b-1",
                            dev.keel.core.model.OrderState.ACCEPTED, java.math.BigDecimal.ZERO, null, at)));
        }

        Run json = Run.of("tx", "show", "tx-bad", "--config", cfg, "--json");
        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonNode doc = JSON.readTree(json.out());
        assertThat(doc.get("fold_error").asText()).isNotBlank();
        assertThat(doc.get("records")).hasSize(4);
        assertThat(doc.at("/records/3/type").asText()).isEqualTo("OrderUpdated");
        Run human = Run.of("tx", "show", "tx-bad", "--config", cfg);
        assertThat(human.out()).contains("cannot be folded", "OrderIntentRecorded");
    }

    @Test
    void unknownTransactionIsAClearError() throws IOException {
        Run run = Run.of("tx", "show", "rb-nope", "--config", config("").toString());

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("no transaction 'rb-nope'");
    }
}
