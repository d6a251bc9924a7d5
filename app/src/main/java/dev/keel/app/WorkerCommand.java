package dev.keel.app;

import dev.keel.app.intake.EventConsumer;
import dev.keel.app.intake.Intake;
import dev.keel.app.runtime.KeelRuntime;
import dev.keel.core.engine.RecoveryReport;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code keel worker}: recovers what a stopped engine left in progress, then takes events from the configured source
 * and runs them until SIGTERM. On SIGTERM a shutdown hook stops the loop taking events and waits for the step in hand
 * to end, at most {@link #SHUTDOWN_GRACE}; past it the step is interrupted, its transaction left in progress for
 * the next start's recovery and its event unsettled for redelivery. Then the process exits 0.
 */
@Command(name = "worker", description = "Recover, then run events from the configured source (events: in the config) "
        + "until SIGTERM; exits 0 once the event in hand is finished or safely left for recovery.")
final class WorkerCommand extends ConfiguredCommand {
    /** How long a SIGTERM waits for the event in hand before it interrupts it: 20 s. */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(20);
    /** How long after the interrupt before the process exits regardless: 5 s. */
    static final Duration SHUTDOWN_LAST = Duration.ofSeconds(5);

    @Option(names = "--name", paramLabel = "NAME", description = "This worker's consumer name (default: HOST-PID).")
    String name;

    /** What the worker did, printed when it stops. */
    record Report(String consumer, int recovered, long acknowledged, long retried, long deadLettered) {
    }

    @Override
    boolean notifyAtOnce() {
        return true;
    }

    @Override
    public Integer call() {
        Output output = output();
        String consumer = name == null || name.isBlank() ? Intake.defaultConsumer() : name.strip();
        AtomicLong acked = new AtomicLong();
        AtomicLong retried = new AtomicLong();
        AtomicLong dead = new AtomicLong();
        CountDownLatch closed = new CountDownLatch(1);
        Thread loop = Thread.currentThread();
        EventConsumer[] running = new EventConsumer[1];
        Thread hook = Thread.ofPlatform().name("keel-worker-shutdown").unstarted(() -> {
            EventConsumer c = running[0];
            if (c != null) {
                c.stop();
            }
            try {
                if (!closed.await(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    loop.interrupt(); // the step's waits end; its transaction stays in progress for recovery
                    closed.await(SHUTDOWN_LAST.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // a SIGTERM'd JVM would exit 143; a worker that stopped as asked exits 0
            Runtime.getRuntime().halt(ExitCodes.OK);
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try (KeelRuntime runtime = openRuntime()) {
            RecoveryReport recovered = runtime.engine().recover();
            output.line("Worker " + consumer + ": recovered " + recovered.transactions().size()
                    + " transaction(s); taking events from " + runtime.config().events().kind().wire() + ".");
            EventConsumer c = Intake.consumer(runtime, consumer, s -> {
                switch (s.outcome()) {
                    case ACKNOWLEDGED -> acked.incrementAndGet();
                    case RETRIED -> retried.incrementAndGet();
                    case DEAD_LETTERED -> dead.incrementAndGet();
                }
                output.line(line(s));
            });
            running[0] = c;
            c.run();
            output.result(new Report(consumer, recovered.transactions().size(), acked.get(), retried.get(),
                    dead.get()), r -> output.line("Worker " + r.consumer() + " stopped: " + r.acknowledged()
                    + " done, " + r.retried() + " retried, " + r.deadLettered() + " dead-lettered."));
            return ExitCodes.OK;
        } finally {
            closed.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it exits the process once it sees 'closed'
            }
        }
    }

    private static String line(EventConsumer.Settled s) {
        return switch (s.outcome()) {
            case ACKNOWLEDGED -> s.messageId() + ": " + (s.run() == null ? "done" : s.run().result()
                    == dev.keel.core.engine.EventRun.Result.ALREADY_RAN ? s.run().message()
                    : (s.run().txId() == null ? "" : s.run().txId() + " ") + s.run().status()
                    + (s.run().message() == null ? "" : ": " + s.run().message()));
            case RETRIED -> s.messageId() + ": delivery " + s.attempt() + " failed (" + s.failure().code() + "): "
                    + s.failure().message() + "; retried later";
            case DEAD_LETTERED -> s.messageId() + ": dead-lettered (" + s.failure().code() + "): "
                    + s.failure().message();
        };
    }
}
