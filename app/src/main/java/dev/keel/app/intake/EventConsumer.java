package dev.keel.app.intake;

import dev.keel.app.config.EventsSettings;
import dev.keel.core.engine.Engine;
import dev.keel.core.engine.EventRun;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.events.Delivery;
import dev.keel.core.events.Event;
import dev.keel.core.events.EventSource;
import dev.keel.core.events.EventType;
import dev.keel.core.events.Failure;
import dev.keel.core.notify.Outbox;
import dev.keel.core.rebalance.ProgressListener;
import dev.keel.core.time.Sleeper;
import dev.keel.core.time.WaitInterrupted;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consume loop of a worker (and of {@code keel serve} to come): takes one due event at a time from its source,
 * runs it in the engine, and settles it. A terminal outcome is acknowledged; a failure that may pass later (the
 * account's lease held elsewhere, the broker down) is retried with backoff; a bad event, or one that has had its
 * deliveries, is dead-lettered with its reason. Nothing an event does crashes the loop: a failure of the source itself
 * (its database or server gone) stops taking work until it answers again, and loses nothing, since an unsettled event
 * is delivered again.
 */
public final class EventConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(EventConsumer.class);

    private final Engine engine;
    private final EventSource source;
    private final EventParser parser;
    private final EventTargets targets;
    private final EventsSettings settings;
    private final Sleeper sleeper;
    private final Listener listener;
    private volatile boolean stopping;

    /** Told of each settled delivery; the worker prints, tests record. */
    @FunctionalInterface
    public interface Listener {
        void settled(Settled settled);

        Listener NONE = s -> {
        };
    }

    /** How a delivery was settled. */
    public enum Outcome {
        ACKNOWLEDGED, RETRIED, DEAD_LETTERED
    }

    /**
     * One delivery settled.
     *
     * @param run what the engine did, or null when it did not run the event
     */
    public record Settled(String messageId, int attempt, Outcome outcome, EventRun run, Failure failure) {
    }

    public EventConsumer(Engine engine, EventSource source, EventParser parser, EventTargets targets,
                         EventsSettings settings, Sleeper sleeper, Listener listener) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.source = Objects.requireNonNull(source, "source");
        this.parser = Objects.requireNonNull(parser, "parser");
        this.targets = Objects.requireNonNull(targets, "targets");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Consumes until {@link #stop()}: a step at a time, waiting {@code events.idle} when nothing is due and backing
     * off while the source fails. An interrupt (a shutdown that would not wait) ends it too; the event in hand is
     * then left unsettled, its transaction in progress for recovery.
     */
    public void run() {
        Duration wait = settings.idle();
        boolean failed = false;
        while (!stopping && !Thread.currentThread().isInterrupted()) {
            try {
                if (failed) {
                    // after a failure, the journal must answer before an event is taken: an event taken while it
                    // is down could only fail, spending one of its deliveries on an outage that is not its fault
                    engine.journal().lastSequence();
                    failed = false;
                }
                if (step()) {
                    wait = settings.idle();
                    continue;
                }
                sleeper.sleep(settings.idle());
            } catch (WaitInterrupted e) {
                LOG.info("interrupted; the event in hand is left for redelivery and recovery");
                return;
            } catch (RuntimeException e) {
                // the source or the journal failed: take no more work until both answer again
                failed = true;
                // an outage repeats every backoff: its message says enough, the stack trace goes to debug
                LOG.warn("the event source or the journal failed; trying again in {}: {}", wait, e.getMessage());
                LOG.debug("the failure", e);
                try {
                    sleeper.sleep(wait);
                } catch (WaitInterrupted interrupted) {
                    return;
                }
                wait = wait.multipliedBy(2).compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff()
                        : wait.multipliedBy(2);
            }
        }
    }

    /** Asks the loop to stop after the step it is in. */
    public void stop() {
        stopping = true;
    }

    /**
     * Takes one due event, runs it and settles it.
     *
     * @return false when none was due
     */
    public boolean step() {
        Optional<Delivery> taken = source.take(settings.visibilityTimeout());
        if (taken.isEmpty()) {
            return false;
        }
        Delivery d = taken.get();
        if (d.attempt() > settings.maxDeliveries()) {
            Failure last = d.lastFailure();
            deadLetter(d, null, new Failure(ErrorCode.EVENT_UNSETTLED, "delivered " + d.attempt() + " times (events"
                    + ".max-deliveries " + settings.maxDeliveries() + ") without being settled"
                    + (last == null ? "" : "; the last failure: " + last.code() + ": " + last.message())));
            return true;
        }
        Event event;
        try {
            event = parser.parse(d.body());
        } catch (EventRejected e) {
            deadLetter(d, null, new Failure(ErrorCode.EVENT_INVALID, e.getMessage()));
            return true;
        }
        EventRun run;
        try (EventTargets.Run on = event.type() == EventType.REBALANCE ? targets.account(event) : null) {
            run = switch (event.type()) {
                case REBALANCE -> engine.rebalanceEvent(event.accountId(), event.eventId(), on.account(),
                        ProgressListener.NONE);
                case RECONCILE -> engine.reconcileEvent(event.accountId(), event.eventId());
            };
        } catch (KeelException e) {
            if (leftForRecovery(e.code())) {
                // this process cannot write: the transaction, if one started, is left for recovery, and the event
                // is made due again at once (the loop takes nothing until the journal answers), not after its
                // visibility timeout
                release(d, "the journal could not be written (" + e.code() + "); its transaction, if it started one,"
                        + " is left for recovery");
                throw e;
            }
            Failure failure = new Failure(e.code(), e.getMessage());
            if (e.code().retryable()) {
                retryOrDeadLetter(d, null, failure);
            } else {
                deadLetter(d, null, failure);
            }
            return true;
        } catch (WaitInterrupted e) {
            release(d, "the worker stopped while running it; its transaction, if it started one, is left for"
                    + " recovery");
            throw e;
        } catch (RuntimeException e) {
            LOG.error("event {} failed unexpectedly", event.eventId(), e);
            retryOrDeadLetter(d, null, new Failure(ErrorCode.INTERNAL_ERROR, "unexpected "
                    + e.getClass().getSimpleName() + ": " + e.getMessage()));
            return true;
        }
        if (run.retryable()) {
            retryOrDeadLetter(d, run, new Failure(run.errorCode(), run.message() == null ? run.status().name()
                    : run.message()));
        } else {
            source.ack(d);
            listener.settled(new Settled(d.messageId(), d.attempt(), Outcome.ACKNOWLEDGED, run, null));
        }
        return true;
    }

    /**
     * A shutdown interrupted the run, or the journal failed under it: the event is made due again at once, so the
     * next worker (or this one, once the journal answers) need not wait out the visibility timeout; its transaction, left in progress, is recovered under the account's lease before the
     * event runs again, and found there. The interrupt is set aside for the write and put back after.
     */
    private void release(Delivery d, String why) {
        boolean interrupted = Thread.interrupted();
        try {
            source.retry(d, Duration.ZERO, new Failure(ErrorCode.EVENT_UNSETTLED, why));
        } catch (RuntimeException e) {
            LOG.warn("event {} could not be released; it is delivered again after its visibility timeout",
                    d.messageId(), e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * A journal that cannot be reached or cannot take this process's writes: nothing can be settled truthfully
     * either, and the failure is the journal's, not the event's.
     */
    private static boolean leftForRecovery(ErrorCode code) {
        return code == ErrorCode.JOURNAL_WRITE_FAILED || code == ErrorCode.JOURNAL_CORRUPT
                || code == ErrorCode.JOURNAL_UNAVAILABLE || code == ErrorCode.LEASE_LOST;
    }

    private void retryOrDeadLetter(Delivery d, EventRun run, Failure failure) {
        if (d.attempt() >= settings.maxDeliveries()) {
            deadLetter(d, run, new Failure(failure.code(), "failed " + d.attempt() + " deliveries (events"
                    + ".max-deliveries); the last: " + failure.message()));
            return;
        }
        source.retry(d, settings.backoffAfter(d.attempt()), failure);
        LOG.info("event {} failed delivery {} ({}); retried in {}", d.messageId(), d.attempt(), failure.code(),
                settings.backoffAfter(d.attempt()));
        listener.settled(new Settled(d.messageId(), d.attempt(), Outcome.RETRIED, run, failure));
    }

    private void deadLetter(Delivery d, EventRun run, Failure failure) {
        source.deadLetter(d, failure);
        LOG.warn("event {} dead-lettered after {} delivery(ies): {}: {}", d.messageId(), d.attempt(),
                failure.code(), failure.message());
        notifyDeadLetter(d, failure);
        listener.settled(new Settled(d.messageId(), d.attempt(), Outcome.DEAD_LETTERED, run, failure));
    }

    /**
     * Law 8: an event that will not run is an outcome someone must hear of. Best effort: the dead letter is already
     * kept, and 'keel dlq list' shows it if the notification cannot be journaled.
     */
    private void notifyDeadLetter(Delivery d, Failure failure) {
        try {
            Outbox outbox = engine.outbox();
            engine.journal().append(outbox.prepare(d.accountId() == null ? "unknown" : d.accountId(), null,
                    failure.code().severity(), failure.code(), "Event " + d.messageId() + " dead-lettered ("
                            + failure.code() + ")", failure.message() + "\nAfter " + d.attempt()
                            + " delivery(ies). See: keel dlq show " + d.messageId() + "\nRun it again: keel dlq retry "
                            + d.messageId() + "\nClose it: keel dlq resolve " + d.messageId() + " --note TEXT",
                    null));
            outbox.dispatch();
        } catch (RuntimeException e) {
            LOG.warn("the notification of dead letter {} could not be queued", d.messageId(), e);
        }
    }
}
