package dev.keel.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.journal.Journal;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.OperationRequested;
import dev.keel.core.journal.OperationStateChanged;
import dev.keel.core.journal.OrderIntentRecorded;
import dev.keel.core.journal.OrderUpdated;
import dev.keel.core.journal.TransactionEnded;
import dev.keel.core.journal.TransactionResumed;
import dev.keel.core.journal.TransactionStarted;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.OperationParams;
import dev.keel.core.model.OperationState;
import dev.keel.core.model.OperationType;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.OrderState;
import dev.keel.core.model.PlannedOrder;
import dev.keel.core.model.Side;
import dev.keel.core.model.Symbol;
import dev.keel.core.model.TransactionStatus;
import dev.keel.core.time.ManualClock;
import dev.keel.store.Journals;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keel ops} over a journal holding three operations written as the sagas write them: a bracket that
 * COMPLETED, an OCO pair left IN_PROGRESS after one resume, a cancel-all that FAILED; and one rebalance, which
 * {@code ops} must leave out.
 */
class OpsCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2024-03-01T14:00:00Z");
    private static final String BRACKET = "op-bracket-1";
    private static final String OCO = "op-oco-2";
    private static final String CANCEL = "op-cancel-3";
    private static final String REBALANCE = "rb-4";

    @TempDir
    Path dir;

    private String cfg;

    @BeforeEach
    void journalWithOperations() throws IOException {
        cfg = CommandsTest.config(dir, "").toString();
        try (Journal journal = Journals.open("sqlite:" + dir.resolve("keel.db"), new ManualClock(T0))) {
            journal.appendAll(bracketCompleted());
            journal.appendAll(ocoResumedStillInProgress());
            journal.appendAll(cancelAllFailed());
            journal.appendAll(rebalanceCompleted());
        }
    }

    @Test
    void listShowsOnlyOperationsNewestFirstWithTheirStates() throws IOException {
        Run run = Run.of("ops", "list", "--config", cfg, "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode rows = JSON.readTree(run.out());
        assertThat(rows).extracting(r -> r.get("operation_id").asText()).containsExactly(CANCEL, OCO, BRACKET);
        assertThat(rows).extracting(r -> r.get("state").asText())
                .containsExactly("FAILED", "IN_PROGRESS", "COMPLETED");
        assertThat(rows.get(2).fieldNames()).toIterable()
                .containsExactly("operation_id", "account", "type", "state", "started_at", "ended_at", "message");
        assertThat(rows.get(2).get("type").asText()).isEqualTo("BRACKET_ORDER");

        Run text = Run.of("ops", "list", "--config", cfg);
        assertThat(text.out()).contains("OPERATION", "bracket_order", "oco_pair", "bulk_cancel")
                .doesNotContain(REBALANCE);
    }

    @Test
    void listFiltersByStateAndLimit() throws IOException {
        Run inProgress = Run.of("ops", "list", "--config", cfg, "--state", "IN_PROGRESS", "--json");
        assertThat(JSON.readTree(inProgress.out())).extracting(r -> r.get("operation_id").asText())
                .containsExactly(OCO);

        Run one = Run.of("ops", "list", "--config", cfg, "--limit", "1", "--json");
        assertThat(JSON.readTree(one.out())).extracting(r -> r.get("operation_id").asText()).containsExactly(CANCEL);

        Run bad = Run.of("ops", "list", "--config", cfg, "--state", "DONE");
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains("--state");
    }

    @Test
    void showHasTheRequestStateMovesAndOrdersWithTheirEvents() throws IOException {
        Run run = Run.of("ops", "show", BRACKET, "--config", cfg, "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode doc = JSON.readTree(run.out());
        assertThat(doc.get("state").asText()).isEqualTo("COMPLETED");
        assertThat(doc.at("/request/symbol").asText()).isEqualTo("VTI");
        assertThat(doc.at("/request/stop").decimalValue()).isEqualByComparingTo("240");
        assertThat(doc.at("/request/target").decimalValue()).isEqualByComparingTo("260");
        List<String> moves = new ArrayList<>();
        doc.get("moves").forEach(m -> moves.add(m.get("from").asText("-") + ">" + m.get("to").asText() + ":"
                + m.get("reason").asText()));
        assertThat(moves).containsExactly("->PENDING:requested", "PENDING>IN_PROGRESS:entry sent",
                "IN_PROGRESS>COMPLETED:protected");
        JsonNode entry = doc.at("/orders/0");
        assertThat(entry.get("client_order_id").asText()).isEqualTo(BRACKET + ":entry");
        assertThat(entry.get("state").asText()).isEqualTo("FILLED");
        assertThat(entry.get("events")).extracting(e -> e.get("event").asText())
                .containsExactly("OrderIntentRecorded", "OrderUpdated");
        assertThat(doc.get("rolled_back_by")).isEmpty();

        Run text = Run.of("ops", "show", BRACKET, "--config", cfg);
        assertThat(text.out()).contains("State moves:", "PENDING", "entry sent", BRACKET + ":entry",
                "FILLED at the broker as b-1, filled 10 @ 250");
    }

    @Test
    void showOfARebalanceOrAnUnknownIdSaysWhatToDo() {
        Run rebalance = Run.of("ops", "show", REBALANCE, "--config", cfg);
        assertThat(rebalance.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(rebalance.err()).contains("not an order operation", "keel tx show " + REBALANCE);

        Run unknown = Run.of("ops", "show", "nope", "--config", cfg);
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("no operation 'nope'", "keel ops list");
    }

    @Test
    void statsCountOutcomesRecoveriesAndShowEachBreakerWithItsRetryPolicy() throws IOException {
        Run run = Run.of("ops", "stats", "--config", cfg, "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode stats = JSON.readTree(run.out());
        JsonNode all = stats.get("operations");
        assertThat(all.get("started").asInt()).isEqualTo(3);
        assertThat(all.get("completed").asInt()).isEqualTo(1);
        assertThat(all.get("failed").asInt()).isEqualTo(1);
        assertThat(all.get("active").asInt()).isEqualTo(1);
        assertThat(all.get("success_rate").decimalValue()).isEqualByComparingTo("0.5");
        assertThat(all.get("recovery_attempts").asInt()).isEqualTo(1);
        assertThat(all.get("recovered_completed").asInt()).isZero();
        assertThat(all.get("recovery_success_rate").decimalValue()).isEqualByComparingTo("0");
        assertThat(stats.get("by_type").fieldNames()).toIterable()
                .containsExactly("bracket_order", "oco_pair", "bulk_cancel");
        assertThat(stats.at("/by_type/bracket_order/success_rate").decimalValue()).isEqualByComparingTo("1");
        assertThat(stats.at("/by_type/oco_pair/success_rate").isNull()).isTrue();
        assertThat(stats.get("breakers")).extracting(b -> b.get("endpoint").asText())
                .containsExactly("submit", "cancel", "lookup", "reads");
        JsonNode submit = stats.at("/breakers/0");
        assertThat(submit.get("account").asText()).isEqualTo("main");
        assertThat(submit.get("state").asText()).isEqualTo("CLOSED");
        assertThat(submit.get("failed_calls").asInt()).isZero();
        assertThat(submit.at("/retry/max-attempts").asInt()).isEqualTo(4);
        assertThat(submit.at("/retry/backoff").asText()).isEqualTo("exponential");
        assertThat(submit.at("/circuit_breaker/failure-rate").asInt()).isEqualTo(50);

        Run text = Run.of("ops", "stats", "--config", cfg);
        assertThat(text.out()).contains("bracket_order", "50.0%", "Circuit breakers", "submit", "CLOSED");
    }

    @Test
    void rollbackRefusesAnOperationInProgressAFailedOneAndAModification() throws IOException {
        Run inProgress = Run.of("ops", "rollback", OCO, "--config", cfg);
        assertThat(inProgress.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(inProgress.err()).contains("still in progress", "keel recover");

        Run failed = Run.of("ops", "rollback", CANCEL, "--config", cfg);
        assertThat(failed.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(failed.err()).contains("ended FAILED");

        try (Journal journal = Journals.open("sqlite:" + dir.resolve("keel.db"), new ManualClock(T0))) {
            journal.appendAll(operation("op-modify-5", OperationType.ORDER_MODIFICATION,
                    OperationParams.modify(BRACKET + ":protect-1", null, new BigDecimal("265"), null),
                    List.of(), OperationState.COMPLETED, T0.plusSeconds(400)));
        }
        Run modify = Run.of("ops", "rollback", "op-modify-5", "--config", cfg);
        assertThat(modify.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(modify.err()).contains("is a modification", "place it again");

        Run rebalance = Run.of("ops", "rollback", REBALANCE, "--config", cfg);
        assertThat(rebalance.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(rebalance.err()).contains("not an order operation");
    }

    @Test
    void cleanupArchivesEndedOperationsOnlyAndTxListSaysWhereTheyWent() throws IOException {
        Run run = Run.of("ops", "cleanup", "--config", cfg, "--older-than", "1d", "--dir",
                dir.resolve("archive").toString(), "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode result = JSON.readTree(run.out());
        assertThat(result.get("transactions").asInt()).as("the bracket and the cancel-all").isEqualTo(2);
        assertThat(result.get("operations").asInt()).isEqualTo(2);
        assertThat(result.get("note").asText()).contains("order operations only", "rebalances stay");
        Path archive = Path.of(result.get("file").asText());
        assertThat(Files.exists(archive)).isTrue();

        Run txs = Run.of("tx", "list", "--config", cfg);
        assertThat(txs.out()).as("the rebalance stays in the live journal").contains(REBALANCE)
                .doesNotContain("No transactions yet")
                .contains("2 ended transaction(s) were archived", archive.toString(), "zcat FILE | jq");

        Run list = Run.of("ops", "list", "--config", cfg, "--json");
        assertThat(JSON.readTree(list.out())).extracting(r -> r.get("operation_id").asText())
                .as("the operation in progress stays").containsExactly(OCO);

        Run missing = Run.of("ops", "cleanup", "--config", cfg);
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("--older-than");
    }

    private static List<JournalEvent> bracketCompleted() {
        String cid = BRACKET + ":entry";
        OrderSpec entry = OrderSpec.marketQty(Symbol.of("VTI"), Side.BUY, new BigDecimal("10"));
        Instant at = T0;
        List<JournalEvent> events = new ArrayList<>(start(BRACKET, OperationType.BRACKET_ORDER,
                OperationParams.bracket(Symbol.of("VTI"), new BigDecimal("10"), null, new BigDecimal("240"), null,
                        new BigDecimal("260")), List.of(new PlannedOrder("entry", entry, new BigDecimal("2500"))), at));
        events.add(new OperationStateChanged(BRACKET, "main", OperationState.PENDING, OperationState.IN_PROGRESS,
                "entry sent", at.plusSeconds(1)));
        events.add(new OrderIntentRecorded(BRACKET, "main", "entry", cid, entry, at.plusSeconds(1)));
        events.add(new OrderUpdated(BRACKET, "main", cid, "b-1", OrderState.FILLED, new BigDecimal("10"),
                new BigDecimal("250"), at.plusSeconds(2)));
        events.add(new OperationStateChanged(BRACKET, "main", OperationState.IN_PROGRESS, OperationState.COMPLETED,
                "protected", at.plusSeconds(3)));
        events.add(new TransactionEnded(BRACKET, "main", TransactionStatus.COMPLETED, null, null, null,
                at.plusSeconds(3)));
        return events;
    }

    private static List<JournalEvent> ocoResumedStillInProgress() {
        Instant at = T0.plusSeconds(100);
        List<JournalEvent> events = new ArrayList<>(start(OCO, OperationType.OCO_PAIR, OperationParams.oco(
                Symbol.of("TLT"), new BigDecimal("5"), new BigDecimal("85"), null, new BigDecimal("95")), List.of(),
                at));
        events.add(new OperationStateChanged(OCO, "main", OperationState.PENDING, OperationState.IN_PROGRESS,
                "placing the pair", at.plusSeconds(1)));
        events.add(new TransactionResumed(OCO, "main", "engine restarted", at.plusSeconds(2)));
        return events;
    }

    private static List<JournalEvent> cancelAllFailed() {
        return operation(CANCEL, OperationType.BULK_CANCEL, OperationParams.cancelAll(null), List.of(),
                OperationState.FAILED, T0.plusSeconds(200));
    }

    private static List<JournalEvent> operation(String txId, OperationType type, OperationParams params,
                                                List<PlannedOrder> planned, OperationState end, Instant at) {
        List<JournalEvent> events = new ArrayList<>(start(txId, type, params, planned, at));
        OperationState from = OperationState.PENDING;
        if (end != OperationState.FAILED) {
            events.add(new OperationStateChanged(txId, "main", from, OperationState.IN_PROGRESS, "started", at));
            from = OperationState.IN_PROGRESS;
        }
        events.add(new OperationStateChanged(txId, "main", from, end, "ended", at.plusSeconds(1)));
        events.add(new TransactionEnded(txId, "main", end.transactionStatus(),
                end == OperationState.COMPLETED ? null : ErrorCode.BROKER_UNAVAILABLE,
                end == OperationState.COMPLETED ? null : "the broker did not answer", null, at.plusSeconds(1)));
        return events;
    }

    private static List<JournalEvent> start(String txId, OperationType type, OperationParams params,
                                            List<PlannedOrder> planned, Instant at) {
        return List.of(
                new TransactionStarted(txId, "main", type.operationName(), txId, planned,
                        new AccountSnapshot("main", new BigDecimal("10000.00"), new BigDecimal("10000.00"), List.of(),
                                at), BigDecimal.ZERO, at),
                new OperationRequested(txId, "main", type, params, at),
                new OperationStateChanged(txId, "main", null, OperationState.PENDING, "requested", at));
    }

    private static List<JournalEvent> rebalanceCompleted() {
        Instant at = T0.plusSeconds(300);
        return List.of(
                new TransactionStarted(REBALANCE, "main", "rebalance", REBALANCE, List.of(),
                        new AccountSnapshot("main", new BigDecimal("10000.00"), new BigDecimal("10000.00"), List.of(),
                                at), BigDecimal.ZERO, at),
                new TransactionEnded(REBALANCE, "main", TransactionStatus.COMPLETED, null, null, "nothing to do", at));
    }
}
