package dev.keel.app.intake;

import dev.keel.app.runtime.KeelRuntime;
import java.util.LinkedHashSet;

/** A consume loop wired from a runtime: its engine, its configured event source and limits. */
public final class Intake {
    private Intake() {
    }

    /**
     * A consumer named {@code name} (for the source and the logs) over the runtime's event source.
     *
     * @param listener told of each settled delivery
     */
    public static EventConsumer consumer(KeelRuntime runtime, String name, EventConsumer.Listener listener) {
        return consumer(runtime, runtime.events(name), listener);
    }

    /** A consumer over {@code source}. */
    public static EventConsumer consumer(KeelRuntime runtime, dev.keel.core.events.EventSource source,
                                         EventConsumer.Listener listener) {
        var config = runtime.config();
        return new EventConsumer(runtime.engine(), source,
                new EventParser(new LinkedHashSet<>(runtime.engine().accountIds()), config.events().maxPayload()),
                new EventTargets(config, KeelRuntime.risk(config)), config.events(), runtime.sleeper(), listener);
    }
}
