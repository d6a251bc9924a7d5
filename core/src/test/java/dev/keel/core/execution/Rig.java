package dev.keel.core.execution;

import dev.keel.core.journal.BreakerTransitioned;
import dev.keel.core.journal.BrokerEvent;
import dev.keel.core.journal.BrokerPaused;
import dev.keel.core.journal.CallsDelayed;
import dev.keel.core.journal.CallsRefused;
import dev.keel.core.journal.EndpointSwitched;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.MemoryJournal;
import dev.keel.core.time.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

/** A broker's resilience on simulated time, with a journal and a meter registry to read back. */
final class Rig {
    static final Instant T0 = Instant.parse("2026-03-02T15:00:00Z");

    final ManualClock clock = new ManualClock(T0);
    final MemoryJournal journal = new MemoryJournal();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    BrokerResilience resilience;

    Rig(ResiliencePolicies policies) {
        this.resilience = new BrokerResilience("paper", policies, journal, meters, clock, clock);
    }

    static Rig breaker(BreakerPolicy breaker) {
        return new Rig(ResiliencePolicies.builder().breaker(breaker).budget(null).build());
    }

    BrokerGateway gateway(String account, ScriptedBroker broker) {
        return resilience.gateway(account, broker, new SplittableRandom(7));
    }

    BrokerGateway gateway(String account, ScriptedBroker primary, ScriptedBroker backup) {
        return resilience.gateway(account, primary, backup, new SplittableRandom(7));
    }

    /** The broker events journaled, compact: {@code submit CLOSED->OPEN failure-rate 50.0}. */
    List<String> events() {
        return journal.all().stream().map(JournalRecord::event).filter(BrokerEvent.class::isInstance)
                .map(e -> switch ((BrokerEvent) e) {
                    case BreakerTransitioned t -> t.endpoint() + (t.connection().equals("backup") ? "@backup" : "")
                            + " " + t.from() + "->" + t.to() + " " + t.reason();
                    case CallsRefused r -> r.endpoint() + " refused " + r.count() + " " + r.reason();
                    case CallsDelayed d -> "delayed " + d.count() + " " + d.totalWait();
                    case BrokerPaused p -> "paused " + p.retryAfter();
                    case EndpointSwitched s -> s.endpoint() + " " + s.from() + "->" + s.to() + " " + s.reason();
                }).toList();
    }

    double counter(String name, String... tags) {
        var c = meters.find(name).tags(tags).counters();
        return c.stream().mapToDouble(x -> x.count()).sum();
    }
}
