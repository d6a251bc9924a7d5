package dev.keel.app;

import dev.keel.app.runtime.KeelRuntime;
import dev.keel.core.chaos.ChaosSession;
import dev.keel.core.chaos.ChaosSessions;
import dev.keel.core.chaos.ChaosTarget;
import dev.keel.core.notify.NotificationChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code keel chaos inject|stop|verify}: rehearsals of failure. A session is journaled; every Keel process that opens
 * the journal while it runs injects its fault under the broker gateway (or on the channel), whichever broker is
 * configured; {@code verify} reads back what the session produced.
 */
@Command(name = "chaos", description = "Rehearse failures: inject a fault for a while, then verify what Keel did.",
        subcommands = {ChaosCommand.Inject.class, ChaosCommand.Stop.class, ChaosCommand.Verify.class})
final class ChaosCommand extends CommandGroup {

    /** One session as the commands print it. */
    record SessionDocument(String sessionId, String target, String kind, double probability, long seed,
                           Instant startedAt, Instant until, String endedBy, Instant endedAt) {
        static SessionDocument of(ChaosSession s) {
            return new SessionDocument(s.id(), s.started().target(), s.started().kind(), s.started().probability(),
                    s.started().seed(), s.started().at(), s.started().until(),
                    s.ended() == null ? null : s.ended().reason(), s.ended() == null ? null : s.endedAt());
        }
    }

    /** {@code keel chaos inject}: journal a session; processes opened while it runs inject its fault. */
    @Command(name = "inject", description = "Start a rehearsal: while it runs, every Keel process fails the target's "
            + "calls with the probability given, as the broker (or channel) would.")
    static final class Inject extends ConfiguredCommand {
        @Option(names = "--target", required = true, paramLabel = "TARGET",
                description = "submit, cancel, lookup, reads, quotes or notify:CHANNEL.")
        String target;

        @Option(names = "--kind", required = true, paramLabel = "KIND", description = "timeout, unavailable, "
                + "server-error, rate-limit, reset, reject (submit only); down for a channel.")
        String kind;

        @Option(names = "--probability", paramLabel = "P", description = "The chance each call fails, in (0, 1] "
                + "(default: 1).")
        double probability = 1.0;

        @Option(names = "--for", required = true, paramLabel = "DURATION",
                converter = ErrorsCommand.DurationConverter.class, description = "How long: 10m, 1h.")
        Duration duration;

        @Option(names = "--seed", paramLabel = "N", description = "Which calls fail (default: 1): the same seed "
                + "repeats a rehearsal.")
        long seed = 1;

        @Option(names = "--by", paramLabel = "NAME", description = "Who (default: $USER).")
        String by;

        @Override
        public Integer call() {
            if (!(probability > 0 && probability <= 1)) {
                throw new ParameterException(spec.commandLine(), "--probability must be in (0, 1], but was "
                        + probability);
            }
            Output output = output();
            try (KeelRuntime runtime = openRuntime()) {
                Set<String> channels = new TreeSet<>();
                runtime.outbox().channels().stream().map(NotificationChannel::name).forEach(channels::add);
                String problem = ChaosTarget.problem(target, kind, channels);
                if (problem != null) {
                    throw new ParameterException(spec.commandLine(), problem);
                }
                ChaosSession s = new ChaosSessions(runtime.journal(), runtime.clock()).start(target, kind,
                        probability, duration, seed, AlertsCommand.actor(by));
                output.result(SessionDocument.of(s), d -> output.line("Rehearsal " + d.sessionId() + ": " + d.target()
                        + " fails (" + d.kind() + ") with probability " + d.probability() + " until " + d.until()
                        + ". 'keel chaos verify " + d.sessionId() + "' reports what it produced."));
                return ExitCodes.OK;
            }
        }
    }

    /** {@code keel chaos stop SESSION}: end a rehearsal now. */
    @Command(name = "stop", description = "End a rehearsal now.")
    static final class Stop extends ConfiguredCommand {
        @Parameters(index = "0", paramLabel = "SESSION")
        String id;

        @Override
        public Integer call() {
            Output output = output();
            try (KeelRuntime runtime = openRuntime()) {
                ChaosSession s = new ChaosSessions(runtime.journal(), runtime.clock()).stop(id);
                output.result(SessionDocument.of(s), d -> output.line("Rehearsal " + d.sessionId() + " ended ("
                        + d.endedBy() + ") at " + d.endedAt() + "."));
                return ExitCodes.OK;
            }
        }
    }

    /** {@code keel chaos verify SESSION}: what the rehearsal produced, and whether anything was lost. */
    @Command(name = "verify", description = "Report what a rehearsal produced: errors classified, failed attempts and "
            + "lookups, breaker transitions, trading states, notifications per channel, and whether anything was "
            + "lost. Exits 4 when something was.")
    static final class Verify extends ConfiguredCommand {
        @Parameters(index = "0", paramLabel = "SESSION")
        String id;

        @Override
        public Integer call() {
            Output output = output();
            try (KeelRuntime runtime = openRuntime()) {
                ChaosSession s = new ChaosSessions(runtime.journal(), runtime.clock()).get(id);
                ChaosReport r = ChaosReport.of(s, runtime.journal(), runtime.clock().instant());
                output.result(r, x -> {
                    output.line("Rehearsal " + x.sessionId() + ": " + x.target() + " " + x.kind() + " p="
                            + x.probability() + ", " + x.startedAt() + " to " + x.endedAt()
                            + (x.running() ? " (running)" : ""));
                    output.line("Errors by code: " + x.errorsByCode() + "; by category: " + x.errorsByCategory());
                    output.line("Failed attempts: " + x.failedAttempts() + "; lookups: " + x.lookups());
                    output.line("Breaker transitions: " + (x.breakerTransitions().isEmpty() ? "none"
                            : String.join("; ", x.breakerTransitions())));
                    output.line("Trading states: " + (x.tradingStates().isEmpty() ? "no change"
                            : String.join("; ", x.tradingStates())));
                    output.line("Notifications delivered per channel: " + x.deliveredByChannel()
                            + "; failed attempts per channel: " + x.failedByChannel());
                    output.line("Transactions: " + x.transactions() + "; still in progress: " + x.transactionsOpen()
                            + "; notifications waiting for a channel: " + x.notificationsWaiting());
                    output.line(x.nothingLost() ? "Nothing was lost." : "LOST: " + String.join("; ", x.lost()));
                });
                return r.nothingLost() ? ExitCodes.OK : ExitCodes.FAILED;
            }
        }
    }
}
