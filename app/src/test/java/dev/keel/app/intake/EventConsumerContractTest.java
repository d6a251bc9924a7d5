package dev.keel.app.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.app.config.ConfigLoader;
import dev.keel.app.runtime.KeelRuntime;
import dev.keel.core.engine.EventRun;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.events.DeadLetter;
import dev.keel.core.events.Delivery;
import dev.keel.core.events.EventSource;
import dev.keel.core.journal.TransactionSummary;
import dev.keel.core.model.TransactionStatus;
import dev.keel.core.rebalance.ProgressListener;
import dev.keel.core.time.ManualClock;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The consume loop over each event source, on a paper exchange and a SQLite journal: every good event has one
 * effect however often it is delivered and however many workers take it; bad ones are dead-lettered with a reason.
 * The source runs on a manual clock, so visibility timeouts and backoffs run out when the test says ({@link #pass}).
 */
abstract class EventConsumerContractTest {
    @TempDir
    Path dir;

    protected final ManualClock inboxClock = new ManualClock(Instant.parse("2026-03-02T15:00:00Z"));
    private final List<EventConsumer.Settled> settled = Collections.synchronizedList(new ArrayList<>());

    /** The {@code events} settings that pick the source, as YAML flow entries ("kind: redis, url: ..."), or "". */
    protected abstract String source();

    /** Time passes for the source: the clock, and whatever else it measures time by. */
    protected void pass(Duration duration) {
        inboxClock.advance(duration);
    }

    private KeelRuntime runtime(String events) throws IOException {
        String settings = String.join(", ", java.util.stream.Stream.of(source(), events)
                .filter(x -> !x.isBlank()).toList());
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
                accounts:
                  - id: main
                    targets: { VTI: 0.30, TLT: 0.40, IEF: 0.15, GLD: 0.075, DBC: 0.075 }
                notifications: [ { kind: file, path: %1$s/notifications.log } ]
                events: { %2$s }
                """.formatted(dir, settings));
        return KeelRuntime.open(ConfigLoader.load(file), new PrintStream(OutputStream.nullOutputStream()));
    }

    private EventConsumer consumer(KeelRuntime runtime, EventSource source) {
        return Intake.consumer(runtime, source, settled::add);
    }

    private static String event(String id, String account, String type, String payload) {
        return "{\"event_id\":\"" + id + "\",\"account_id\":\"" + account + "\",\"type\":\"" + type + "\""
                + (payload == null ? "" : ",\"payload\":" + payload) + ",\"created_at\":\"2026-03-02T14:59:00Z\"}";
    }

    @Test
    void twoWorkersOnOneInboxGiveEveryGoodEventOneEffectAndDeadLetterThePoison() throws Exception {
        try (KeelRuntime runtime = runtime("")) {
            EventSource first = runtime.events("w1", inboxClock);
            EventSource second = runtime.events("w2", inboxClock);
            // e-1 twice under two message ids: a sender that sent it twice, so two workers may hold it at once
            first.push("m-1", "main", event("e-1", "main", "rebalance", null));
            first.push("m-1-again", "main", event("e-1", "main", "rebalance", null));
            first.push("m-2", "main", event("e-2", "main", "reconcile", null));
            first.push("m-3", "main", event("e-3", "main", "rebalance",
                    "{\"targets\":{\"VTI\":0.5,\"TLT\":0.5}}"));
            first.push("bad-json", null, "{\"event_id\": \"e-9\", ");
            first.push("bad-account", "nobody", event("e-10", "nobody", "rebalance", null));
            first.push("bad-weights", "main", event("e-11", "main", "rebalance",
                    "{\"targets\":{\"VTI\":0.5,\"TLT\":0.4}}"));
            first.push("bad-type", "main", event("e-12", "main", "liquidate", null));
            first.push("too-big", "main", event("e-13", "main", "rebalance",
                    "{\"targets\":{\"VTI\":1}, \"pad\":\"" + "x".repeat(70_000) + "\"}"));

            List<EventConsumer> workers = List.of(consumer(runtime, first), consumer(runtime, second));
            for (int round = 0; round < 10 && first.pending() > 0; round++) {
                CountDownLatch start = new CountDownLatch(1);
                List<Thread> threads = new ArrayList<>();
                for (EventConsumer w : workers) {
                    threads.add(Thread.ofPlatform().start(() -> {
                        awaitQuietly(start);
                        while (w.step()) {
                            // until nothing is due
                        }
                    }));
                }
                start.countDown();
                for (Thread t : threads) {
                    t.join();
                }
                pass(Duration.ofMinutes(10)); // backoffs of retried deliveries run out
            }

            assertThat(first.pending()).isZero();
            List<TransactionSummary> e1 = runtime.journal().correlated("e-1");
            assertThat(e1).as("one transaction for e-1, delivered twice").singleElement()
                    .extracting(TransactionSummary::status).isEqualTo(TransactionStatus.COMPLETED);
            assertThat(runtime.journal().correlated("e-3")).singleElement()
                    .extracting(TransactionSummary::status).isEqualTo(TransactionStatus.COMPLETED);
            assertThat(runtime.journal().recentTransactions(50, "main")).hasSize(2);

            Map<String, EventConsumer.Outcome> last = new TreeMap<>();
            settled.forEach(s -> last.put(s.messageId(), s.outcome()));
            assertThat(last).containsEntry("m-1", EventConsumer.Outcome.ACKNOWLEDGED)
                    .containsEntry("m-1-again", EventConsumer.Outcome.ACKNOWLEDGED)
                    .containsEntry("m-2", EventConsumer.Outcome.ACKNOWLEDGED)
                    .containsEntry("m-3", EventConsumer.Outcome.ACKNOWLEDGED);
            assertThat(settled).filteredOn(s -> s.run() != null && s.run().eventId().equals("e-1"))
                    .extracting(s -> s.run().result())
                    .containsExactlyInAnyOrder(EventRun.Result.RAN, EventRun.Result.ALREADY_RAN);

            Map<String, String> reasons = new TreeMap<>();
            for (DeadLetter d : first.deadLetters().list()) {
                assertThat(d.code()).isEqualTo(ErrorCode.EVENT_INVALID);
                assertThat(d.attempts()).isEqualTo(1);
                reasons.put(d.messageId(), d.reason());
            }
            assertThat(reasons).containsOnlyKeys("bad-json", "bad-account", "bad-weights", "bad-type", "too-big");
            assertThat(reasons.get("bad-json")).startsWith("not JSON");
            assertThat(reasons.get("bad-account")).contains("'nobody' is not an account of this worker");
            assertThat(reasons.get("bad-weights")).contains("must sum to 1", "0.9");
            assertThat(reasons.get("bad-type")).contains("'liquidate' is unknown");
            assertThat(reasons.get("too-big")).contains("over the limit of 65536");
            assertThat(Files.readString(dir.resolve("notifications.log"))).as("law 8: each dead letter is notified")
                    .contains("Event bad-json dead-lettered (EVENT_INVALID)", "keel dlq show bad-account");
        }
    }

    @Test
    void aWorkerThatDiedBeforeItsAckLeavesTheEventToBeRedeliveredAndItStartsNothingTwice() throws Exception {
        try (KeelRuntime runtime = runtime("")) {
            EventSource dying = runtime.events("w1", inboxClock);
            dying.push("e-1", "main", event("e-1", "main", "rebalance", null));
            Delivery held = dying.take(Duration.ofMinutes(5)).orElseThrow();
            // the first worker ran the event to its end, then died before acknowledging it
            EventRun ran = runtime.engine().rebalanceEvent("main", "e-1", null, ProgressListener.NONE);
            assertThat(ran.result()).isEqualTo(EventRun.Result.RAN);
            assertThat(ran.status()).isEqualTo(TransactionStatus.COMPLETED);

            EventConsumer next = consumer(runtime, runtime.events("w2", inboxClock));
            assertThat(next.step()).as("within the dead worker's visibility, nothing is due").isFalse();
            pass(Duration.ofMinutes(5));
            assertThat(next.step()).isTrue();

            EventConsumer.Settled s = settled.getFirst();
            assertThat(s.attempt()).isEqualTo(2);
            assertThat(s.outcome()).isEqualTo(EventConsumer.Outcome.ACKNOWLEDGED);
            assertThat(s.run().result()).isEqualTo(EventRun.Result.ALREADY_RAN);
            assertThat(s.run().txId()).isEqualTo(ran.txId());
            assertThat(runtime.journal().correlated("e-1")).hasSize(1);
            assertThat(dying.pending()).isZero();
            dying.ack(held); // the dead worker's receipt settles nothing now
        }
    }

    @Test
    void twoWorkersRunningOneEventAtOnceStartOneTransaction() throws Exception {
        try (KeelRuntime runtime = runtime("")) {
            List<EventRun> runs = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> workers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                workers.add(Thread.ofPlatform().start(() -> {
                    awaitQuietly(start);
                    runs.add(runtime.engine().rebalanceEvent("main", "e-1", null, ProgressListener.NONE));
                }));
            }
            start.countDown();
            for (Thread t : workers) {
                t.join();
            }
            assertThat(runs).extracting(EventRun::result)
                    .containsExactlyInAnyOrder(EventRun.Result.RAN, EventRun.Result.ALREADY_RAN);
            assertThat(runs).extracting(EventRun::txId).doesNotContainNull().containsOnly(runs.getFirst().txId());
            assertThat(runtime.journal().correlated("e-1")).singleElement()
                    .extracting(TransactionSummary::status).isEqualTo(TransactionStatus.COMPLETED);
        }
    }

    @Test
    void anEventNoWorkerSettlesIsDeadLetteredAfterMaxDeliveries() throws Exception {
        try (KeelRuntime runtime = runtime("max-deliveries: 2, visibility-timeout: 1m")) {
            EventSource source = runtime.events("w1", inboxClock);
            source.push("e-1", "main", event("e-1", "main", "rebalance", null));
            source.take(Duration.ofMinutes(1)).orElseThrow(); // taken, and its worker died
            pass(Duration.ofMinutes(1));
            source.take(Duration.ofMinutes(1)).orElseThrow(); // again
            pass(Duration.ofMinutes(1));

            assertThat(consumer(runtime, source).step()).isTrue();

            DeadLetter dead = source.deadLetters().find("e-1").orElseThrow();
            assertThat(dead.code()).isEqualTo(ErrorCode.EVENT_UNSETTLED);
            assertThat(dead.attempts()).isEqualTo(3);
            assertThat(dead.reason()).contains("delivered 3 times (events.max-deliveries 2)");
            assertThat(runtime.journal().correlated("e-1")).as("it never ran").isEmpty();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
