package dev.keel.app;

import dev.keel.app.runtime.KeelRuntime;
import dev.keel.core.notify.DeliveryReport;
import dev.keel.notify.alert.Alert;
import dev.keel.notify.alert.AlertDesk;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

/** {@code keel alerts list|ack|resolve|escalate}: the alerts notifications raised, and what operators did with them. */
@Command(name = "alerts", description = "Alerts raised by notifications: list, acknowledge, resolve, escalate.",
        subcommands = {AlertsCommand.ListAlerts.class, AlertsCommand.Ack.class, AlertsCommand.Resolve.class,
                AlertsCommand.Escalate.class})
final class AlertsCommand extends CommandGroup {

    /** One alert as the commands print it. */
    record AlertDocument(String id, String accountId, String severity, String code, String title, String status,
                         int tier, Instant raisedAt, String acknowledgedBy, Instant acknowledgedAt, String resolution,
                         Instant resolvedAt, String txId) {
        static AlertDocument of(Alert a) {
            return new AlertDocument(a.id(), a.accountId(), a.severity().wire(), a.code() == null ? null
                    : a.code().name(), a.title(), a.status().name(), a.tier(), a.raisedAt(), a.acknowledged(),
                    a.acknowledgedAt(), a.resolution(), a.resolvedAt(), a.txId());
        }

        String line() {
            return id + "  " + severity.toUpperCase(java.util.Locale.ROOT) + "  " + status
                    + (tier > 0 ? " (escalated to tier " + tier + ")" : "") + "  " + accountId + "  " + title
                    + (code == null ? "" : " [" + code + "]");
        }
    }

    /** Who is acting: {@code --by}, else the user name of the shell. */
    static String actor(String by) {
        if (by != null && !by.isBlank()) {
            return by.strip();
        }
        String user = System.getenv("USER");
        return user == null || user.isBlank() ? "cli" : user;
    }

    /** {@code keel alerts list}: the open alerts, oldest first. */
    @Command(name = "list", description = "The alerts not yet resolved, oldest first.")
    static final class ListAlerts extends ConfiguredCommand {
        record Report(List<AlertDocument> alerts) {
        }

        @Override
        public Integer call() {
            Output output = output();
            try (KeelRuntime runtime = openRuntime()) {
                List<AlertDocument> alerts = runtime.alerts().open().stream().map(AlertDocument::of).toList();
                output.result(new Report(alerts), r -> {
                    if (r.alerts().isEmpty()) {
                        output.line("No open alerts.");
                    }
                    r.alerts().forEach(a -> output.line(a.line()));
                });
                return ExitCodes.OK;
            }
        }
    }

    /** {@code keel alerts ack ID}: taken; it escalates no further. */
    @Command(name = "ack", description = "Acknowledge an alert: someone is on it, so it escalates no further.")
    static final class Ack extends ConfiguredCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The alert's id ('keel alerts list').")
        String id;

        @Option(names = "--by", paramLabel = "NAME", description = "Who (default: $USER).")
        String by;

        @Option(names = "--note", paramLabel = "TEXT", description = "A note, journaled with the acknowledgement.")
        String note;

        @Override
        public Integer call() {
            Output output = output();
            try (KeelRuntime runtime = openRuntime()) {
                Alert alert = runtime.alerts().acknowledge(id, actor(by), note);
                output.result(AlertDocument.of(alert), a -> output.line("Acknowledged by " + a.acknowledgedBy()
                        + ": " + a.line()));
                return ExitCodes.OK;
            }
        }
    }

    /** {@code keel alerts resolve ID --note TEXT}: over, with what fixed it. */
    @Command(name = "resolve", description = "Resolve an alert, saying what fixed it: the note is journaled and "
            + "'keel runbook CODE' shows it to whoever meets the same error next.")
    static final class Resolve extends ConfiguredCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The alert's id ('keel alerts list').")
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
            try (KeelRuntime runtime = openRuntime()) {
                Alert alert = runtime.alerts().resolve(id, actor(by), note);
                output.result(AlertDocument.of(alert), a -> output.line("Resolved: " + a.line()));
                return ExitCodes.OK;
            }
        }
    }

    /**
     * {@code keel alerts escalate}: one round of escalation, then a dispatch so the pages go out now. Run it from cron
     * (every minute, say) until {@code keel serve} runs it on its own schedule.
     */
    @Command(name = "escalate", description = "Escalate every unacknowledged alert whose next tier is due, and send "
            + "the pages. Safe to run from several places at once: an escalation is made once.")
    static final class Escalate extends ConfiguredCommand {
        record Report(List<AlertDesk.Escalation> escalations, long delivered, long failed) {
        }

        @Override
        public Integer call() {
            Output output = output();
            try (KeelRuntime runtime = openRuntime()) {
                List<AlertDesk.Escalation> made = runtime.alerts().escalate();
                DeliveryReport sent = runtime.outbox().dispatch();
                output.result(new Report(made, sent.deliveries(), sent.failures()), r -> {
                    if (r.escalations().isEmpty()) {
                        output.line("Nothing to escalate.");
                    }
                    r.escalations().forEach(e -> output.line("Alert " + e.alertId() + " escalated to tier "
                            + e.tier() + ": " + String.join(", ", e.channels())));
                    output.line("Sent " + r.delivered() + ", failed " + r.failed() + " (failures are retried).");
                });
                return ExitCodes.OK;
            }
        }
    }
}
