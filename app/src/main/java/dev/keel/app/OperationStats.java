package dev.keel.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.keel.app.config.DurationFormat;
import dev.keel.app.runtime.KeelRuntime;
import dev.keel.core.execution.BreakerPolicy;
import dev.keel.core.execution.BrokerGateway;
import dev.keel.core.execution.Endpoint;
import dev.keel.core.execution.RetryPolicy;
import dev.keel.core.journal.BreakerTransitioned;
import dev.keel.core.journal.Journal;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.TransactionResumed;
import dev.keel.core.journal.TransactionSummary;
import dev.keel.core.model.OperationType;
import dev.keel.core.model.TransactionStatus;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code keel ops stats}: how the order operations in the journal went, overall and per type, and each account's
 * broker circuit breakers with their retry configuration.
 *
 * @param account    the account counted, or null for all
 * @param operations every operation counted
 * @param byType     the same per operation type, only the types that ran
 * @param breakers   per account and endpoint
 */
record OperationStats(
        @JsonProperty("account") String account,
        @JsonProperty("operations") Counts operations,
        @JsonProperty("by_type") Map<String, Counts> byType,
        @JsonProperty("breakers") List<Breaker> breakers) {

    /**
     * Counts of operations.
     *
     * @param failed              ended without being done: FAILED, ROLLED_BACK or NEEDS_REVIEW
     * @param successRate         completed / ended, in [0, 1]; null when none ended
     * @param recoveryAttempts    operations a restarted engine resumed (at least one TransactionResumed)
     * @param recoveredCompleted  of those, the ones that ended COMPLETED
     * @param recoverySuccessRate recoveredCompleted / recoveryAttempts; null when none was resumed
     * @param active              not ended yet (PENDING, IN_PROGRESS, ROLLING_BACK): 'keel recover' resumes them
     */
    record Counts(
            @JsonProperty("started") int started,
            @JsonProperty("completed") int completed,
            @JsonProperty("partially_completed") int partiallyCompleted,
            @JsonProperty("failed") int failed,
            @JsonProperty("rolled_back") int rolledBack,
            @JsonProperty("needs_review") int needsReview,
            @JsonProperty("success_rate") BigDecimal successRate,
            @JsonProperty("recovery_attempts") int recoveryAttempts,
            @JsonProperty("recovered_completed") int recoveredCompleted,
            @JsonProperty("recovery_success_rate") BigDecimal recoverySuccessRate,
            @JsonProperty("active") int active) {

        static Counts of(List<TransactionSummary> ops, Map<String, Boolean> resumed) {
            int completed = 0;
            int partial = 0;
            int failedOnly = 0;
            int rolledBack = 0;
            int review = 0;
            int active = 0;
            int attempts = 0;
            int recovered = 0;
            for (TransactionSummary s : ops) {
                switch (s.status()) {
                    case COMPLETED -> completed++;
                    case PARTIAL -> partial++;
                    case FAILED, ABORTED -> failedOnly++;
                    case ROLLED_BACK -> rolledBack++;
                    case NEEDS_REVIEW -> review++;
                    case IN_PROGRESS -> active++;
                }
                if (resumed.getOrDefault(s.txId(), false)) {
                    attempts++;
                    if (s.status() == TransactionStatus.COMPLETED) {
                        recovered++;
                    }
                }
            }
            int ended = ops.size() - active;
            return new Counts(ops.size(), completed, partial, failedOnly + rolledBack + review, rolledBack, review,
                    rate(completed, ended), attempts, recovered, rate(recovered, attempts), active);
        }

        private static BigDecimal rate(int part, int whole) {
            return whole == 0 ? null : BigDecimal.valueOf(part).divide(BigDecimal.valueOf(whole), 4,
                    RoundingMode.HALF_EVEN);
        }
    }

    /**
     * One circuit breaker of one account's broker connection.
     *
     * @param state          as this process's breaker reads now (a fresh process starts CLOSED)
     * @param failedCalls    failed calls in this process's window
     * @param failureRate    the window's failure rate in percent; -1 before minimum-calls
     * @param lastTransition the last transition any Keel process journaled for it, or null
     */
    record Breaker(
            @JsonProperty("account") String account,
            @JsonProperty("broker") String broker,
            @JsonProperty("endpoint") String endpoint,
            @JsonProperty("connection") String connection,
            @JsonProperty("state") String state,
            @JsonProperty("failed_calls") int failedCalls,
            @JsonProperty("failure_rate") float failureRate,
            @JsonProperty("last_transition") Transition lastTransition,
            @JsonProperty("circuit_breaker") Map<String, Object> circuitBreaker,
            @JsonProperty("retry") Map<String, Object> retry) {
    }

    /** A journaled breaker transition. */
    record Transition(@JsonProperty("from") String from, @JsonProperty("to") String to,
                      @JsonProperty("reason") String reason, @JsonProperty("at") Instant at) {
    }

    static OperationStats of(KeelRuntime runtime, String account) {
        Journal journal = runtime.journal();
        List<TransactionSummary> ops = OperationLog.all(journal, account);
        Map<String, Boolean> resumed = new LinkedHashMap<>();
        for (TransactionSummary s : ops) {
            resumed.put(s.txId(), journal.stream(s.txId()).stream()
                    .anyMatch(r -> r.event() instanceof TransactionResumed));
        }
        Map<OperationType, List<TransactionSummary>> grouped = new EnumMap<>(OperationType.class);
        ops.forEach(s -> grouped.computeIfAbsent(OperationType.ofOperation(s.operation()).orElseThrow(),
                t -> new ArrayList<>()).add(s));
        Map<String, Counts> byType = new LinkedHashMap<>();
        grouped.forEach((type, list) -> byType.put(type.operationName(), Counts.of(list, resumed)));
        return new OperationStats(account, Counts.of(ops, resumed), byType, breakers(runtime, account));
    }

    private static List<Breaker> breakers(KeelRuntime runtime, String account) {
        String broker = runtime.resilience().name();
        Map<String, BreakerTransitioned> last = new LinkedHashMap<>();
        for (JournalRecord r : runtime.journal().stream("broker:" + broker)) {
            if (r.event() instanceof BreakerTransitioned b) {
                last.put(b.accountId() + "/" + b.endpoint() + "/" + b.connection(), b);
            }
        }
        List<Breaker> out = new ArrayList<>();
        for (String id : account == null ? runtime.engine().accountIds() : List.of(account)) {
            BrokerGateway gateway = runtime.gateway(id);
            for (Endpoint e : Endpoint.values()) {
                CircuitBreaker cb = gateway.breaker(e);
                String connection = gateway.active(e).name().toLowerCase(java.util.Locale.ROOT);
                BreakerTransitioned t = last.get(id + "/" + e.wire() + "/" + connection);
                out.add(new Breaker(id, broker, e.wire(), connection, cb.getState().name(),
                        cb.getMetrics().getNumberOfFailedCalls(), cb.getMetrics().getFailureRate(),
                        t == null ? null : new Transition(t.from(), t.to(), t.reason(), t.at()),
                        breakerPolicy(runtime.resilience().policies().breaker(e)), retry(gateway.retryPolicy(e))));
            }
        }
        return out;
    }

    private static Map<String, Object> breakerPolicy(BreakerPolicy b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("failure-rate", b.failureRate());
        m.put("failure-count", b.failureCount());
        m.put("window", b.window());
        m.put("minimum-calls", b.minimumCalls());
        m.put("open-for", DurationFormat.format(b.openFor()));
        m.put("half-open-calls", b.halfOpenCalls());
        return m;
    }

    private static Map<String, Object> retry(RetryPolicy r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("max-attempts", r.maxAttempts());
        m.put("backoff", r.backoff().wire());
        m.put("initial-delay", DurationFormat.format(r.initialDelay()));
        m.put("multiplier", r.multiplier());
        m.put("max-delay", DurationFormat.format(r.maxDelay()));
        m.put("jitter", r.jitter());
        return m;
    }

    void print(Output output) {
        output.line("Order operations" + (account == null ? "" : " of account " + account) + ":");
        Table t = new Table("TYPE", "STARTED", "COMPLETED", "PARTIAL", "FAILED", "SUCCESS", "RECOVERED",
                "RECOVERY SUCCESS", "ACTIVE");
        t.row(row("all", operations));
        byType.forEach((type, c) -> t.row(row(type, c)));
        output.table(t);
        output.line("FAILED counts FAILED, ROLLED_BACK and NEEDS_REVIEW; SUCCESS is COMPLETED of those ended; "
                + "RECOVERED is resumed after a restart.");
        output.line("");
        output.line("Circuit breakers (state in this process; LAST is the last transition journaled by any):");
        Table b = new Table("ACCOUNT", "ENDPOINT", "CONNECTION", "STATE", "FAILED", "RATE", "LAST", "RETRY");
        for (Breaker x : breakers) {
            b.row(x.account(), x.endpoint(), x.connection(), x.state(), x.failedCalls(),
                    x.failureRate() < 0 ? "-" : x.failureRate() + "%",
                    x.lastTransition() == null ? "-" : x.lastTransition().to() + " at " + x.lastTransition().at()
                            + " (" + x.lastTransition().reason() + ")",
                    x.retry().get("max-attempts") + " attempts, " + x.retry().get("backoff") + " "
                            + x.retry().get("initial-delay") + " x" + x.retry().get("multiplier") + " up to "
                            + x.retry().get("max-delay"));
        }
        output.table(b);
    }

    private static Object[] row(String type, Counts c) {
        return new Object[] {type, c.started(), c.completed(), c.partiallyCompleted(), c.failed(),
                percent(c.successRate()), c.recoveryAttempts(), percent(c.recoverySuccessRate()), c.active()};
    }

    private static String percent(BigDecimal rate) {
        return rate == null ? "-" : rate.movePointRight(2).setScale(1, RoundingMode.HALF_EVEN).toPlainString() + "%";
    }
}
