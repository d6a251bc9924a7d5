package dev.keel.app.runtime;

import dev.keel.app.config.KeelConfig;
import dev.keel.app.intake.RedisEventSource;
import dev.keel.core.events.EventSource;
import dev.keel.store.JdbcJournal;
import java.time.Clock;

/** The event source the {@code events} section names. */
public final class EventSetup {
    private EventSetup() {
    }

    /** The configured source as {@code consumer}: the inbox in {@code journal}'s database, or a Redis stream. */
    public static EventSource source(KeelConfig config, JdbcJournal journal, Clock clock, String consumer) {
        return switch (config.events().kind()) {
            case EMBEDDED -> journal.inbox(clock, consumer);
            case REDIS -> RedisEventSource.open(config.events().redisUrl(), config.events().stream(),
                    config.events().group(), consumer, clock);
        };
    }
}
