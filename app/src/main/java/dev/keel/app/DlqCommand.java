package dev.keel.app;

import dev.keel.app.config.DurationFormat;
import dev.keel.app.intake.Intake;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.events.DeadLetter;
import dev.keel.core.events.DeadLetters;
import dev.keel.core.journal.DeadLetterResolved;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code keel dlq list|show|retry|resolve|purge}: the events that failed for good, and what operators do with them. */
@Command(name = "dlq", description = "Dead-lettered events: list, show, retry, resolve with a note, purge.",
        subcommands = {DlqCommand.ListDead.class, DlqCommand.Show.class, DlqCommand.Retry.class,
                DlqCommand.Resolve.class, DlqCommand.Purge.class})
final class DlqCommand extends CommandGroup {

    /** One dead letter as the commands print it; the body only where asked for. */
    record DeadLetterDocument(String eventId, String accountId, ErrorCode errorCode, String reason, int attempts,
                              Instant firstDeliveredAt, Instant deadAt, Instant resolvedAt, String resolvedBy,
                              String note, String body) {
        static DeadLetterDocument of(DeadLetter d, boolean withBody) {
            return new DeadLetterDocument(d.messageId(), d.accountId(), d.code(), d.reason(), d.attempts(),
                    d.firstTaken(), d.deadAt(), d.resolvedAt(), d.resolvedBy(), d.note(), withBody ? d.body() : null);
        }
    }

    /**
     * Resolves dead letter {@code id} with {@code note}, the note journaled first: it is what outlives the dead letter
     * (a purge, a Redis flush), and what {@code keel runbook} shows. The CLI, the API and the dashboard share it.
     */
    static DeadLetter resolve(dev.keel.core.journal.Journal journal, DeadLetters dead, String id, String who,
                              String note, Instant now) {
        DeadLetter letter = dead.find(id).orElseThrow(() -> new KeelException(ErrorCode.UNKNOWN_ID, "no dead letter '"
                + id + "'; 'keel dlq list' shows them"));
        journal.append(new DeadLetterResolved(id, letter.accountId(), letter.code(), who, note.strip(), now));
        return dead.resolve(id, who, note.strip(), now).orElseThrow(() -> new KeelException(ErrorCode.UNKNOWN_ID,
                "dead letter '" + id + "' was purged or retried meanwhile; the note is journaled"));
    }

    /** The dead letters of the configured source, opened for one command. */
    abstract static class DeadLetterCommand extends ConfiguredCommand {
        final Clock clock = Clock.systemUTC();

        Intake.Opened open() {
            return Intake.open(loadConfig(), clock, Intake.defaultConsumer());
        }

        static DeadLetter find(DeadLetters dead, String id) {
            return dead.find(id).orElseThrow(() -> new KeelException(ErrorCode.UNKNOWN_ID, "no dead letter '" + id
                    + "'; 'keel dlq list' shows them"));
        }
    }

    @Command(name = "list", description = "Every dead letter, oldest first, resolved ones marked.")
    static final class ListDead extends DeadLetterCommand {
        record Report(List<DeadLetterDocument> deadLetters) {
        }

        @Override
        public Integer call() {
            Output output = output();
            try (Intake.Opened opened = open()) {
                List<DeadLetterDocument> all = opened.source().deadLetters().list().stream()
                        .map(d -> DeadLetterDocument.of(d, false)).toList();
                output.result(new Report(all), r -> {
                    if (r.deadLetters().isEmpty()) {
                        output.line("No dead letters.");
                        return;
                    }
                    Table t = new Table("EVENT", "ACCOUNT", "CODE", "ATTEMPTS", "DEAD AT", "RESOLVED", "REASON");
                    r.deadLetters().forEach(d -> t.row(d.eventId(), d.accountId(), d.errorCode().name(),
                            d.attempts(), d.deadAt(), d.resolvedAt() == null ? "no" : "by " + d.resolvedBy(),
                            shorten(d.reason())));
                    output.table(t);
                });
                return ExitCodes.OK;
            }
        }

        private static String shorten(String reason) {
            String line = reason.lines().findFirst().orElse("");
            return line.length() > 80 ? line.substring(0, 77) + "..." : line;
        }
    }

    @Command(name = "show", description = "One dead letter with its body, reason, attempts and times.")
    static final class Show extends DeadLetterCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The event's id ('keel dlq list').")
        String id;

        @Override
        public Integer call() {
            Output output = output();
            try (Intake.Opened opened = open()) {
                DeadLetterDocument d = DeadLetterDocument.of(find(opened.source().deadLetters(), id), true);
                output.result(d, x -> {
                    output.line("Event:      " + x.eventId());
                    output.line("Account:    " + (x.accountId() == null ? "(unknown)" : x.accountId()));
                    output.line("Code:       " + x.errorCode() + "  ('keel runbook " + x.errorCode() + "')");
                    output.line("Reason:     " + x.reason());
                    output.line("Attempts:   " + x.attempts());
                    output.line("First try:  " + (x.firstDeliveredAt() == null ? "-" : x.firstDeliveredAt()));
                    output.line("Dead at:    " + x.deadAt());
                    if (x.resolvedAt() != null) {
                        output.line("Resolved:   " + x.resolvedAt() + " by " + x.resolvedBy() + ": " + x.note());
                    }
                    output.line("Body:");
                    output.line("  " + x.body());
                });
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "retry", description = "Send a dead letter back to the workers as a new event with no "
            + "deliveries yet. Its effect stays single: a worker that finds its transaction in the journal starts "
            + "nothing.")
    static final class Retry extends DeadLetterCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The event's id ('keel dlq list').")
        String id;

        record Result(String eventId, boolean retried) {
        }

        @Override
        public Integer call() {
            Output output = output();
            try (Intake.Opened opened = open()) {
                find(opened.source().deadLetters(), id);
                boolean retried = opened.source().deadLetters().retry(id);
                output.result(new Result(id, retried), r -> output.line("Event " + r.eventId()
                        + " is queued again for the workers."));
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "resolve", description = "Resolve a dead letter, saying what was done: the note is journaled and "
            + "'keel runbook CODE' shows it to whoever meets the same error next.")
    static final class Resolve extends DeadLetterCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The event's id ('keel dlq list').")
        String id;

        @Option(names = "--note", paramLabel = "TEXT", required = true, description = "What was done.")
        String note;

        @Option(names = "--by", paramLabel = "NAME", description = "Who (default: $USER).")
        String by;

        @Override
        public Integer call() {
            if (note.isBlank()) {
                throw new ParameterException(spec.commandLine(), "--note must say what was done, but was blank");
            }
            Output output = output();
            String who = AlertsCommand.actor(by);
            try (Intake.Opened opened = open()) {
                DeadLetter resolved = resolve(opened.journal(), opened.source().deadLetters(), id, who, note,
                        clock.instant());
                output.result(DeadLetterDocument.of(resolved, false), d -> output.line("Resolved by " + d.resolvedBy()
                        + ": " + d.eventId() + " (" + d.errorCode() + "): " + d.note()));
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "purge", description = "Remove the dead letters dead-lettered longer ago than --older-than. "
            + "Resolution notes stay in the journal.")
    static final class Purge extends DeadLetterCommand {
        @Option(names = "--older-than", paramLabel = "AGE", required = true,
                description = "How old a dead letter must be to go: 7d, 12h, 30m.")
        String olderThan;

        record Result(String olderThan, Instant cutoff, int purged) {
        }

        @Override
        public Integer call() {
            Duration age = DurationFormat.parse(olderThan).orElseThrow(() -> new ParameterException(
                    spec.commandLine(), "--older-than: expected a duration like 7d, 12h or 30m, but was '"
                    + olderThan + "'"));
            Output output = output();
            try (Intake.Opened opened = open()) {
                Instant cutoff = clock.instant().minus(age);
                int purged = opened.source().deadLetters().purge(cutoff);
                output.result(new Result(olderThan, cutoff, purged), r -> output.line("Purged " + r.purged()
                        + " dead letter(s) older than " + r.olderThan() + " (before " + r.cutoff() + ")."));
                return ExitCodes.OK;
            }
        }
    }
}
