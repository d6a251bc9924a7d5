package dev.keel.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.app.config.ConfigLoader;
import dev.keel.app.config.KeelConfig;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.OrderLookedUp;
import dev.keel.core.journal.OrderUpdated;
import dev.keel.core.model.OrderState;
import dev.keel.core.model.TransactionStatus;
import dev.keel.core.rebalance.ProgressListener;
import dev.keel.core.rebalance.RebalanceOutcome;
import dev.keel.core.time.ManualClock;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Law 4's grace is the broker's lookup lag: on the built-in paper exchange, its configured {@code visibility-lag}
 * (none by default), not the 2 s a remote broker is given. A submit lost before the exchange took it is proven absent
 * by the first lookup when there is no lag, and only after the lag when there is one.
 */
class VisibilityGraceTest {
    @TempDir
    Path dir;

    private KeelConfig config(String lag) {
        return ConfigLoader.parse("""
                journal: sqlite:%1$s/keel.db
                broker:
                  kind: paper
                  paper:
                    state: %1$s/paper.db
                    cash: 1000.00
                    positions: { VTI: 10 }
                    prices: { VTI: 250.00, TLT: 90.00 }
                %2$s    faults:
                      - { op: submit, kind: timeout-before-accept, nth: 1 }
                accounts:
                  - id: main
                    targets: { VTI: 0.6, TLT: 0.4 }
                notifications: [ { kind: file, path: %1$s/notifications.log } ]
                """.formatted(dir, lag == null ? "" : "    visibility-lag: " + lag + "\n"), Path.of("keel.yaml"),
                dir);
    }

    /** The first order's lookups (its submit was lost), and whether the transaction completed with it filled. */
    private record Run(List<OrderLookedUp> lookups, Duration firstToLast, boolean filled,
                       TransactionStatus status) {
    }

    private Run rebalance(KeelConfig config) {
        ManualClock clock = new ManualClock(Instant.parse("2026-12-07T15:00:00Z"));
        try (KeelRuntime runtime = KeelRuntime.open(config, clock, clock,
                new PrintStream(PrintStream.nullOutputStream()), 42)) {
            RebalanceOutcome outcome = runtime.engine().rebalance("main", null, ProgressListener.NONE);
            List<JournalEvent> events = runtime.journal().stream(outcome.txId()).stream()
                    .map(JournalRecord::event).toList();
            List<OrderLookedUp> lookups = events.stream().filter(OrderLookedUp.class::isInstance)
                    .map(OrderLookedUp.class::cast).toList();
            assertThat(lookups).as("the lost submit is looked up").isNotEmpty();
            String cid = lookups.getFirst().clientOrderId();
            boolean filled = events.stream().filter(OrderUpdated.class::isInstance).map(OrderUpdated.class::cast)
                    .anyMatch(u -> u.clientOrderId().equals(cid) && u.state() == OrderState.FILLED);
            return new Run(lookups, Duration.between(lookups.getFirst().at(), lookups.getLast().at()), filled,
                    outcome.status());
        }
    }

    @Test
    void withoutALagTheFirstLookupProvesTheLostSubmitAbsent() {
        Run run = rebalance(config(null));

        assertThat(run.lookups()).singleElement().satisfies(l -> {
            assertThat(l.outcome()).isEqualTo(OrderLookedUp.Outcome.NOT_FOUND);
            assertThat(l.afterGrace()).as("no 2 s wait on an exchange that shows an order at once").isTrue();
        });
        assertThat(run.filled()).as("resubmitted under the same id, and filled").isTrue();
        assertThat(run.status()).isEqualTo(TransactionStatus.COMPLETED);
    }

    @Test
    void withALagNotFoundWithinItIsNoProofAndTheResubmitWaitsItOut() {
        Run run = rebalance(config("3s"));

        assertThat(run.lookups()).extracting(OrderLookedUp::outcome, OrderLookedUp::afterGrace)
                .first().isEqualTo(org.assertj.core.groups.Tuple.tuple(OrderLookedUp.Outcome.NOT_FOUND, false));
        assertThat(run.lookups().getLast().afterGrace()).isTrue();
        assertThat(run.firstToLast()).as("the grace is the exchange's lag").isGreaterThanOrEqualTo(
                Duration.ofSeconds(3)).isLessThan(Duration.ofSeconds(4));
        assertThat(run.filled()).isTrue();
        assertThat(run.status()).isEqualTo(TransactionStatus.COMPLETED);
    }
}
