package dev.keel.app.intake;

import dev.keel.app.config.KeelConfig;
import dev.keel.app.runtime.EventSetup;
import dev.keel.app.runtime.KeelRuntime;
import dev.keel.core.events.EventSource;
import dev.keel.core.journal.Journal;
import dev.keel.store.JdbcJournal;
import dev.keel.store.Journals;
import java.time.Clock;
import java.util.LinkedHashSet;

/**
 * A consume loop wired from a runtime (its engine, its configured event source and limits), and the event source
 * alone for the commands that only push or tend dead letters: they open the journal, not the broker, so they run
 * beside a worker that owns the paper exchange's state file.
 */
public final class Intake {
    private Intake() {
    }

    /** The configured event source and the journal (where dead-letter resolutions are written), opened; close it. */
    public record Opened(EventSource source, Journal journal) implements AutoCloseable {
        @Override
        public void close() {
            try {
                source.close();
            } finally {
                journal.close();
            }
        }
    }

    /** Opens the journal of {@code config} and its event source as {@code consumer}. */
    public static Opened open(KeelConfig config, Clock clock, String consumer) {
        JdbcJournal journal = Journals.open(config.journalUrl(), clock);
        try {
            return new Opened(EventSetup.source(config, journal, clock, consumer), journal);
        } catch (RuntimeException e) {
            journal.close();
            throw e;
        }
    }

    /** This process's consumer name: {@code HOST-PID}, unique among the workers of one machine and across them. */
    public static String defaultConsumer() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return host + "-" + ProcessHandle.current().pid();
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
    public static EventConsumer consumer(KeelRuntime runtime, EventSource source,
                                         EventConsumer.Listener listener) {
        var config = runtime.config();
        return new EventConsumer(runtime.engine(), source,
                EventParser.of(config, runtime.engine().accountIds()),
                new EventTargets(config, KeelRuntime.risk(config)), config.events(), runtime.sleeper(), listener);
    }
}
