package dev.keel.core.execution;

import dev.keel.core.journal.BreakerTransitioned;
import dev.keel.core.journal.BrokerEvent;
import dev.keel.core.journal.BrokerPaused;
import dev.keel.core.journal.CallsDelayed;
import dev.keel.core.journal.CallsRefused;
import dev.keel.core.journal.EndpointSwitched;
import dev.keel.core.journal.Journal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts every resilience decision of one broker in Micrometer and journals the few that matter as
 * {@link BrokerEvent}s: each breaker transition, failover and pause at once, refused and delayed calls as a count
 * at most once per summary interval (and when a breaker leaves OPEN). Events are queued where they happen (often
 * inside a breaker call) and appended by {@link #drain()} after the broker call has returned. Thread-safe.
 *
 * <p>Metrics: {@code keel.broker.breaker.transitions}, {@code keel.broker.calls.refused},
 * {@code keel.broker.calls.delayed}, {@code keel.broker.retries}, {@code keel.broker.failovers}, all tagged with
 * {@code broker} and, where they apply, {@code account}, {@code endpoint}, {@code reason}, {@code to}.
 */
final class ResilienceEvents {
    private static final Logger LOG = LoggerFactory.getLogger(ResilienceEvents.class);
    private static final String ALL = "*";
    private static final Object DELAYED = new Object();

    private final String broker;
    private final Journal journal;
    private final MeterRegistry meters;
    private final Clock clock;
    private final Duration interval;
    private final Queue<BrokerEvent> pending = new ConcurrentLinkedQueue<>();
    private final Map<Object, Tally> tallies = new ConcurrentHashMap<>();
    /** Whether a caller is appending queued events now. */
    private final AtomicBoolean appending = new AtomicBoolean();

    /**
     * @param journal where events go; null to count them only
     * @param meters  where counts go; null for none
     */
    ResilienceEvents(String broker, Journal journal, MeterRegistry meters, Clock clock, Duration interval) {
        this.broker = Objects.requireNonNull(broker, "broker");
        this.journal = journal;
        this.meters = meters;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.interval = Objects.requireNonNull(interval, "interval");
    }

    String broker() {
        return broker;
    }

    void transitioned(String accountId, Endpoint endpoint, String connection, String from, String to, String reason,
                      double failureRate, double slowCallRate) {
        count("keel.broker.breaker.transitions", "account", tag(accountId), "endpoint", endpoint.wire(),
                "connection", connection, "to", to);
        String rates = failureRate < 0 ? "" : " (failure rate " + failureRate + "%"
                + (slowCallRate < 0 ? "" : ", slow-call rate " + slowCallRate + "%") + ")";
        LOG.warn("circuit breaker {}:{}:{} ({}) {} -> {}: {}{}", broker, accountId, endpoint.wire(), connection, from,
                to, reason, rates);
        if ("OPEN".equals(from)) {
            Tally t = tallies.get(new RefusalKey(accountId, endpoint, CallsRefused.Reason.BREAKER_OPEN));
            if (t != null) {
                summarize(t, true);
            }
        }
        pending.add(new BreakerTransitioned(broker, accountId, endpoint.wire(), connection, from, to, reason,
                failureRate, slowCallRate, clock.instant()));
    }

    /** Counts a refused call; the counter and tally of each kind are made once, as refusals come in floods. */
    void refused(String accountId, Endpoint endpoint, CallsRefused.Reason reason) {
        Tally t = tallies.computeIfAbsent(new RefusalKey(accountId, endpoint, reason), k -> new Tally(accountId,
                endpoint, reason, counter("keel.broker.calls.refused", "account", tag(accountId), "endpoint",
                endpoint.wire(), "reason", reason.name().toLowerCase(java.util.Locale.ROOT))));
        t.add(clock.instant(), Duration.ZERO);
        summarize(t, false);
    }

    void delayed(Duration wait) {
        Tally t = tallies.computeIfAbsent(DELAYED, k -> new Tally(null, null, null,
                counter("keel.broker.calls.delayed")));
        t.add(clock.instant(), wait);
        summarize(t, false);
    }

    void paused(String accountId, Duration retryAfter, Instant until) {
        LOG.warn("broker {} answered 429 to {}: every call to it waits until {}", broker, accountId, until);
        pending.add(new BrokerPaused(broker, accountId, retryAfter, until, clock.instant()));
    }

    void switched(String accountId, Endpoint endpoint, String from, String to, String reason) {
        count("keel.broker.failovers", "account", tag(accountId), "endpoint", endpoint.wire(), "to", to);
        LOG.warn("broker {} account {}: {} calls move from {} to {}: {}", broker, accountId, endpoint.wire(), from, to,
                reason);
        pending.add(new EndpointSwitched(broker, accountId, endpoint.wire(), from, to, reason, clock.instant()));
    }

    void retried(Endpoint endpoint) {
        count("keel.broker.retries", "endpoint", endpoint.wire());
    }

    /**
     * Appends what is queued; cheap when nothing is. A failing journal loses the events, never the call. One caller
     * appends at a time, so batches keep their order, but nobody waits for it: a caller that finds another appending
     * leaves its events to that one, which looks again before it stops. No monitor is held across the append, which
     * would stall every account behind one slow write (and deadlock a scheduler that switches callers at appends).
     */
    void drain() {
        while (!pending.isEmpty() && appending.compareAndSet(false, true)) {
            try {
                appendQueued();
            } finally {
                appending.set(false);
            }
        }
    }

    private void appendQueued() {
        List<BrokerEvent> batch = new ArrayList<>();
        for (BrokerEvent e = pending.poll(); e != null; e = pending.poll()) {
            batch.add(e);
        }
        if (batch.isEmpty() || journal == null) {
            return;
        }
        try {
            journal.appendAll(batch);
        } catch (RuntimeException e) {
            count("keel.broker.events.dropped");
            LOG.warn("{} broker events of {} could not be journaled: {}", batch.size(), broker, e.toString());
        }
    }

    /** Journals every count not yet journaled, then drains. */
    void flush() {
        for (Tally t : tallies.values()) {
            summarize(t, true);
        }
        drain();
    }

    private void summarize(Tally t, boolean force) {
        BrokerEvent event = t.take(clock.instant(), interval, force);
        if (event != null) {
            pending.add(event);
        }
    }

    private void count(String name, String... tags) {
        Counter c = counter(name, tags);
        if (c != null) {
            c.increment();
        }
    }

    /** The counter {@code name} with the broker's tag and {@code tags}; null without a registry. */
    private Counter counter(String name, String... tags) {
        if (meters == null) {
            return null;
        }
        String[] all = new String[tags.length + 2];
        all[0] = "broker";
        all[1] = broker;
        System.arraycopy(tags, 0, all, 2, tags.length);
        return meters.counter(name, all);
    }

    private static String tag(String accountId) {
        return accountId == null ? ALL : accountId;
    }

    /** One kind of refusal: by account, endpoint and reason. */
    private record RefusalKey(String accountId, Endpoint endpoint, CallsRefused.Reason reason) {
    }

    /** Refusals (or waits) of one kind since the last journaled count. */
    private final class Tally {
        private final String accountId;
        private final Endpoint endpoint;
        private final CallsRefused.Reason reason;
        private final Counter counter;
        private long count;
        private Duration total = Duration.ZERO;
        private Instant since;
        private Instant lastJournaled;

        Tally(String accountId, Endpoint endpoint, CallsRefused.Reason reason, Counter counter) {
            this.accountId = accountId;
            this.endpoint = endpoint;
            this.reason = reason;
            this.counter = counter;
        }

        synchronized void add(Instant now, Duration wait) {
            if (counter != null) {
                counter.increment();
            }
            if (count == 0) {
                since = now;
            }
            count++;
            total = total.plus(wait);
        }

        /** The event for what was counted, when due (or forced); resets the count. */
        synchronized BrokerEvent take(Instant now, Duration every, boolean force) {
            if (count == 0) {
                return null;
            }
            boolean due = lastJournaled == null || !now.isBefore(lastJournaled.plus(every));
            if (!due && !force) {
                return null;
            }
            BrokerEvent event = reason == null ? new CallsDelayed(broker, count, total, since, now)
                    : new CallsRefused(broker, accountId, endpoint.wire(), reason, count, since, now);
            count = 0;
            total = Duration.ZERO;
            lastJournaled = now;
            return event;
        }
    }
}
