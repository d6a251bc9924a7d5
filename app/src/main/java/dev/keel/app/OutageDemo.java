package dev.keel.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.keel.app.config.KeelConfig;
import dev.keel.app.runtime.KeelRuntime;
import dev.keel.core.account.AccountStatus;
import dev.keel.core.execution.Endpoint;
import dev.keel.core.journal.BreakerTransitioned;
import dev.keel.core.journal.CallsRefused;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.TradingStateChanged;
import dev.keel.core.rebalance.RebalanceOutcome;
import dev.keel.core.time.ManualClock;
import dev.keel.core.time.Sleeper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code keel demo --scenario outage}: a broker outage ridden out in one process, three rebalances apart by the
 * breaker's open period. The breaker opens, the retry budget stops the retries, the account trades only to reduce
 * risk, the operator is told at each step, and it all comes back by itself.
 *
 * <p>It runs on simulated time: every wait advances a {@link ManualClock} instead of blocking. On real time the story
 * depended on the machine (on a loaded one the breaker's 3 s open period passed inside the first rebalance, and the
 * account never went REDUCING); on simulated time every run on every machine tells the same one.
 */
final class OutageDemo {
    private final Output output;
    private final Path dataDir;

    /** When the simulated-time demo begins: a Monday, mid-session. */
    private static final java.time.Instant SIMULATED_START = java.time.Instant.parse("2026-11-23T15:00:00Z");

    OutageDemo(Output output, Path dataDir) {
        this.output = output;
        this.dataDir = dataDir;
    }

    /**
     * One rebalance of the demo.
     *
     * @param exchangeSubmits submits that reached the exchange so far
     * @param refusedLocally  calls Keel refused without sending, by reason, so far
     */
    record Run(@JsonProperty("run") int run, @JsonProperty("transaction_id") String txId,
               @JsonProperty("status") String status, @JsonProperty("error_code") String errorCode,
               @JsonProperty("account_state") String accountState, @JsonProperty("submit_breaker") String breaker,
               @JsonProperty("exchange_submits") int exchangeSubmits,
               @JsonProperty("exchange_lookups") int exchangeLookups,
               @JsonProperty("refused_locally") java.util.Map<String, Long> refusedLocally) {
    }

    /** The whole demo. */
    record Report(@JsonProperty("scenario") String scenario, @JsonProperty("runs") List<Run> runs,
                  @JsonProperty("events") List<String> events, @JsonProperty("data_dir") Path dataDir) {
    }

    int run(boolean json) {
        KeelConfig config = KeelConfig.outageDemo(dataDir);
        output.line("Keel demo: a broker outage. The order endpoint answers HTTP 503 to the next three submits.");
        output.line("Breaker: opens after 3 consecutive failures, refuses calls for 3s, closes after 1 good trial.");
        output.line("Retry budget: retries may add 10% of calls (at least 2 a minute). Three rebalances follow,");
        output.line("each after the breaker's open period. Time is simulated: waits take no time, so the story is");
        output.line("the same on any machine.");
        output.line("");
        List<Run> runs = new ArrayList<>();
        PrintStream console = json ? System.err : System.out;
        ManualClock simulated = new ManualClock(SIMULATED_START);
        Sleeper sleeper = simulated;
        try (KeelRuntime runtime = KeelRuntime.open(config, simulated, simulated, console,
                config.broker().paper().seed())) {
            String account = runtime.accountId(null);
            for (int i = 1; i <= 3; i++) {
                if (i > 1) {
                    output.line("... waiting " + config.circuitBreaker().openFor().toSeconds()
                            + "s, the breaker's open period");
                    sleeper.sleep(config.circuitBreaker().openFor().plusMillis(200));
                }
                output.line("Rebalance " + i + ":");
                RebalanceOutcome outcome = runtime.engine().rebalance(account, "outage-demo-" + i,
                        RebalanceReport.progress(output));
                runtime.resilience().flush();
                Run run = new Run(i, outcome.txId(), outcome.status().name(),
                        outcome.errorCode() == null ? null : outcome.errorCode().name(),
                        AccountStatus.of(runtime.journal(), account).state().name(),
                        runtime.gateway(account).breaker(Endpoint.SUBMIT).getState().name(),
                        runtime.paper().callCounts().getOrDefault("submit", 0),
                        runtime.paper().callCounts().getOrDefault("lookup", 0), refused(runtime.meters()));
                runs.add(run);
                output.line("  -> " + run.status() + (run.errorCode() == null ? "" : " (" + run.errorCode() + ")")
                        + "; account " + run.accountState() + "; submit breaker " + run.breaker()
                        + "; submits that reached the exchange: " + run.exchangeSubmits()
                        + "; refused by Keel without sending: " + run.refusedLocally());
                output.line("");
            }
            List<String> events = events(runtime, account);
            output.result(new Report("outage", runs, events, dataDir), r -> {
                output.line("What the journal recorded about the broker and the account:");
                r.events().forEach(e -> output.line("  " + e));
                output.line("");
                output.line("Look closer:  ./keel tx list --journal " + config.journalUrl());
            });
        }
        return ExitCodes.OK;
    }

    private static java.util.Map<String, Long> refused(MeterRegistry meters) {
        java.util.Map<String, Long> byReason = new java.util.TreeMap<>();
        for (Counter c : meters.find("keel.broker.calls.refused").counters()) {
            String reason = c.getId().getTag("reason");
            byReason.merge(reason == null ? "?" : reason, (long) c.count(), Long::sum);
        }
        return byReason;
    }

    private static List<String> events(KeelRuntime runtime, String account) {
        List<String> lines = new ArrayList<>();
        runtime.journal().replay(0, (JournalRecord r) -> {
            switch (r.event()) {
                case BreakerTransitioned b -> lines.add(b.at() + "  breaker " + b.endpoint() + ": " + b.from() + " -> "
                        + b.to() + " (" + b.reason() + ")");
                case CallsRefused c -> lines.add(c.at() + "  " + c.count() + " " + c.endpoint() + " call(s) refused "
                        + "without sending: " + c.reason());
                case TradingStateChanged t when t.accountId().equals(account) -> lines.add(t.at() + "  account "
                        + t.from() + " -> " + t.to() + ": " + t.reason());
                default -> {
                }
            }
        });
        return lines;
    }
}
