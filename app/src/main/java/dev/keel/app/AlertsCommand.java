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

/**
 * {@code keel alerts list|ack|resolve|escalate|outbox}: the alerts notifications raised, what operators did with them,
 * and the notifications still waiting for a channel.
 */
@Command(name = "alerts", description = "Alerts raised by notifications: list, acknowledge, resolve, escalate; and "
        + "the outbox's backlog.",
        subcommands = {AlertsCommand.ListAlerts.class, AlertsCommand.Ack.class, AlertsCommand.Resolve.class,
                AlertsCommand.Escalate.class, AlertsCommand.OutboxBacklog.class})
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
            try (KeelRuntime runtime = openRuntimeToRead()) {
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

    /**
     * {@code keel alerts outbox}: what the outbox still owes its channels, most severe first (the order it is sent
     * in), with each channel's failures, last error and next attempt. Nothing is given up, so after an outage this
     * is the backlog that goes out once the channel is back.
     */
    @Command(name = "outbox", description = "Notifications not yet delivered to every channel, most severe first, "
            + "with each channel's failures, last error and next attempt. Nothing is given up: each is retried.")
    static final class OutboxBacklog extends ConfiguredCommand {
        @Option(names = "--send", description = "Try a dispatch round first (the channels' rests still apply).")
        boolean send;

        record Owed(String channel, int failures, String lastError, Instant nextTry) {
        }

        record Waiting(String notificationId, String accountId, String severity, String code, String title,
                       Instant queuedAt, String txId, List<Owed> owedTo) {
        }

        record Report(int pending, java.util.Map<String, Integer> bySeverity, List<Waiting> notifications) {
        }

        @Override
        public Integer call() {
            Output output = output();
            try (KeelRuntime runtime = send ? openRuntime() : openRuntimeToRead()) {
                if (send) {
                    runtime.outbox().dispatch();
                }
                List<Waiting> waiting = runtime.outbox().backlog().stream().map(b -> new Waiting(
                        b.notification().id(), b.notification().accountId(), b.notification().severity().wire(),
                        b.notification().code() == null ? null : b.notification().code().name(),
                        b.notification().title(), b.notification().at(), b.notification().txId(),
                        b.owed().stream().map(o -> new Owed(o.channel(), o.failures(), o.lastError(), o.nextTry()))
                                .toList())).toList();
                java.util.Map<String, Integer> bySeverity = new java.util.LinkedHashMap<>();
                waiting.forEach(w -> bySeverity.merge(w.severity(), 1, Integer::sum));
                output.result(new Report(waiting.size(), bySeverity, waiting), r -> {
                    if (r.notifications().isEmpty()) {
                        output.line("The outbox is empty: every notification reached its channels.");
                        return;
                    }
                    output.line(r.pending() + " notification(s) waiting " + r.bySeverity() + ", most severe first:");
                    for (Waiting w : r.notifications()) {
                        output.line(w.notificationId() + "  " + w.severity().toUpperCase(java.util.Locale.ROOT)
                                + "  " + w.queuedAt() + "  " + w.accountId() + "  " + w.title()
                                + (w.code() == null ? "" : " [" + w.code() + "]"));
                        for (Owed o : w.owedTo()) {
                            output.line("    to " + o.channel() + ": " + o.failures() + " failure(s)"
                                    + (o.lastError() == null ? "" : ", last: " + o.lastError())
                                    + (o.nextTry() == null ? ", tried on the next run" : ", next try " + o.nextTry()));
                        }
                    }
                });
                return ExitCodes.OK;
            }
        }
    }
}
