package dev.keel.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.core.events.EventSource;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.TransactionSummary;
import dev.keel.core.model.TransactionStatus;
import dev.keel.store.JdbcJournal;
import dev.keel.store.Journals;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keel events push}, {@code keel worker} as a real process stopped by SIGTERM, and {@code keel dlq ...}: the
 * operator's whole round, over the embedded inbox.
 */
class WorkerCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path config(String name, String faults) throws IOException {
        Path file = dir.resolve(name);
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
                  - id: side
                    targets: { VTI: 0.5, TLT: 0.5 }
                notifications: [ { kind: file, path: %1$s/notifications.log } ]
                events: { max-deliveries: 3 }
                """.formatted(dir, faults));
        return file;
    }

    private Path events(String name, String... lines) throws IOException {
        return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
    }

    private JdbcJournal journal() {
        return Journals.open("sqlite:" + dir.resolve("keel.db"), Clock.systemUTC());
    }

    @Test
    void pushedEventsAreRunOnceByTheWorkerWhichStopsWithZeroOnSigtermAndTheDeadLettersAreTended() throws Exception {
        String cfg = config("keel.yaml", "").toString();
        Run refused = Run.of("events", "push", events("bad.jsonl",
                "{\"event_id\":\"e-1\",\"account_id\":\"main\",\"type\":\"rebalance\"}",
                "{\"event_id\":\"e-2\",\"account_id\":\"main\",\"type\":\"rebalance\","
                        + "\"payload\":{\"targets\":{\"VTI\":0.5,\"TLT\":0.4}}}").toString(), "--config", cfg);
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.err()).contains("EVENT_INVALID", "1 of 2 event(s) cannot run, so none was pushed",
                "event 2: payload.targets must sum to 1");

        Run pushed = Run.of("events", "push", events("good.jsonl",
                "{\"event_id\":\"e-1\",\"account_id\":\"main\",\"type\":\"rebalance\"}",
                "{\"event_id\":\"e-2\",\"account_id\":\"side\",\"type\":\"rebalance\"}",
                "{\"event_id\":\"e-3\",\"account_id\":\"main\",\"type\":\"reconcile\"}",
                "{\"event_id\":\"e-1\",\"account_id\":\"main\",\"type\":\"rebalance\"}").toString(),
                "--config", cfg, "--json");
        assertThat(pushed.exitCode()).as(pushed.err()).isZero();
        JsonNode report = JSON.readTree(pushed.out());
        assertThat(report.get("pushed").asInt()).isEqualTo(3);
        assertThat(report.get("already_queued").asInt()).isEqualTo(1);
        assertThat(report.at("/events/0").fieldNames()).toIterable()
                .containsExactly("event_id", "account_id", "type", "queued");

        Run poison = Run.of("events", "push", "--no-check", events("poison.jsonl",
                "{\"event_id\":\"p-1\",\"account_id\":\"nobody\",\"type\":\"rebalance\"}",
                "this is not json").toString(), "--config", cfg);
        assertThat(poison.exitCode()).as(poison.err()).isZero();

        Process worker = ChildKeel.start(dir, "worker", "--config", cfg, "--name", "w1");
        try (JdbcJournal journal = journal()) {
            EventSource inbox = journal.inbox(Clock.systemUTC(), "test");
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .until(() -> inbox.pending() == 0);
            List<TransactionSummary> e1 = journal.correlated("e-1");
            assertThat(e1).singleElement().extracting(TransactionSummary::status)
                    .isEqualTo(TransactionStatus.COMPLETED);
            assertThat(journal.correlated("e-2")).singleElement().extracting(TransactionSummary::status)
                    .isEqualTo(TransactionStatus.COMPLETED);
        } finally {
            worker.toHandle().destroy(); // SIGTERM; Process.destroy would also close its output
        }
        assertThat(worker.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(worker.getInputStream().readAllBytes());
        assertThat(worker.exitValue()).as(out + Files.readString(dir.resolve("stderr-worker.txt"))).isZero();
        assertThat(out).contains("Worker w1: recovered 0 transaction(s)", "Worker w1 stopped: 3 done, 0 retried, 2 "
                + "dead-lettered.");

        Run list = Run.of("dlq", "list", "--config", cfg, "--json");
        JsonNode dead = JSON.readTree(list.out()).get("dead_letters");
        assertThat(dead).hasSize(2);
        assertThat(dead).extracting(d -> d.get("error_code").asText()).containsOnly("EVENT_INVALID");
        assertThat(dead.get(0).fieldNames()).toIterable().contains("event_id", "account_id", "error_code", "reason",
                "attempts", "first_delivered_at", "dead_at", "resolved_at", "resolved_by", "note");
        Run table = Run.of("dlq", "list", "--config", cfg);
        assertThat(table.out()).contains("EVENT", "p-1", "EVENT_INVALID", "'nobody' is not an account");

        Run show = Run.of("dlq", "show", "p-1", "--config", cfg);
        assertThat(show.out()).contains("Reason:     account_id 'nobody' is not an account of this worker",
                "\"account_id\":\"nobody\"");
        assertThat(Run.of("dlq", "show", "nope", "--config", cfg).exitCode()).isEqualTo(ExitCodes.USAGE);

        Run resolve = Run.of("dlq", "resolve", "p-1", "--note", "added the account to the workers' config",
                "--by", "ana", "--config", cfg, "--json");
        assertThat(resolve.exitCode()).as(resolve.err()).isZero();
        assertThat(JSON.readTree(resolve.out()).get("resolved_by").asText()).isEqualTo("ana");
        Run runbook = Run.of("runbook", "EVENT_INVALID", "--config", cfg);
        assertThat(runbook.out()).contains("added the account to the workers' config");

        String digestId = dead.get(0).get("event_id").asText().startsWith("sha256-")
                ? dead.get(0).get("event_id").asText() : dead.get(1).get("event_id").asText();
        Run retry = Run.of("dlq", "retry", digestId, "--config", cfg);
        assertThat(retry.exitCode()).as(retry.err()).isZero();
        try (JdbcJournal journal = journal()) {
            assertThat(journal.inbox(Clock.systemUTC(), "test").pending()).isEqualTo(1);
        }
        Run purge = Run.of("dlq", "purge", "--older-than", "0s", "--config", cfg, "--json");
        assertThat(JSON.readTree(purge.out()).get("purged").asInt()).isEqualTo(1);
        assertThat(JSON.readTree(Run.of("dlq", "list", "--config", cfg, "--json").out()).get("dead_letters"))
                .isEmpty();
    }

    @Test
    void sigtermMidRebalanceExitsZeroAndTheNextWorkerRecoversTheTransactionAndStartsNothingTwice()
            throws Exception {
        // The IEF buy hangs in its submit: the worker is inside the broker call when it is told to stop.
        String hanging = config("hanging.yaml", "{ op: submit, kind: slow, delay: 10m, symbol: IEF }").toString();
        String healthy = config("healthy.yaml", "").toString();
        Run.of("events", "push", events("one.jsonl",
                "{\"event_id\":\"e-1\",\"account_id\":\"main\",\"type\":\"rebalance\"}").toString(), "--config",
                healthy);

        Process worker = ChildKeel.start(dir, "worker", "--config", hanging, "--name", "w1");
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> worker.isAlive() && ChildKeel.intentJournaled(dir.resolve("keel.db"), "buy-IEF"));
        } finally {
            worker.toHandle().destroy(); // SIGTERM; Process.destroy would also close its output
        }
        assertThat(worker.waitFor(WorkerCommand.SHUTDOWN_GRACE.plus(WorkerCommand.SHUTDOWN_LAST).toSeconds() + 20,
                TimeUnit.SECONDS)).as("stopped within its shutdown bound").isTrue();
        assertThat(worker.exitValue()).as(Files.readString(dir.resolve("stderr-worker.txt"))).isZero();
        try (JdbcJournal journal = journal()) {
            assertThat(journal.openStreams(JournalEvent.TRANSACTION)).as("left in progress for recovery")
                    .hasSize(1);
            assertThat(journal.inbox(Clock.systemUTC(), "test").pending()).as("unsettled").isEqualTo(1);
        }

        Process next = ChildKeel.start(dir, "worker", "--config", healthy, "--name", "w2");
        try (JdbcJournal journal = journal()) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .until(() -> journal.openStreams(JournalEvent.TRANSACTION).isEmpty()
                            && journal.inbox(Clock.systemUTC(), "test").pending() == 0);
            assertThat(journal.correlated("e-1")).singleElement().extracting(TransactionSummary::status)
                    .isEqualTo(TransactionStatus.COMPLETED);
        } finally {
            next.toHandle().destroy();
        }
        assertThat(next.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(next.exitValue()).isZero();
    }
}
