package dev.keel.notify;

import dev.keel.core.notify.Notification;
import java.util.Objects;

/**
 * A notification as the operator reads it, whatever the channel: severity, account, what happened, what to do, the
 * runbook and the dashboard. Every channel renders from this, so every channel says the same.
 */
public record NoticeText(Notification notification, Links links) {
    /** The length Twilio sends as one segment (GSM-7); longer texts are cut to it. */
    public static final int SMS_LENGTH = 160;

    public NoticeText {
        Objects.requireNonNull(notification, "notification");
        Objects.requireNonNull(links, "links");
    }

    public String severity() {
        return notification.severity().name();
    }

    /** One line: {@code [CRITICAL] Account main HALTED (was ACTIVE) - account main}. */
    public String subject() {
        return "[" + severity() + "] " + notification.title() + " - account " + notification.accountId();
    }

    /** The title and body. */
    public String whatHappened() {
        return notification.title() + "\n" + notification.body();
    }

    /** The catalog's suggestion for the code, or a pointer to the body when there is no code. */
    public String whatToDo() {
        return notification.code() == null ? "Read the details above; 'keel status' shows the overall state."
                : notification.code().suggestion();
    }

    public String runbook() {
        return links.runbook(notification.code());
    }

    /** The error code's name, or null. */
    public String code() {
        return notification.code() == null ? null : notification.code().name();
    }

    /** The plain-text body of a mail. */
    public String plain() {
        StringBuilder out = new StringBuilder();
        out.append("Severity: ").append(severity()).append('\n');
        out.append("Account: ").append(notification.accountId()).append('\n');
        if (notification.txId() != null) {
            out.append("Transaction: ").append(notification.txId()).append('\n');
        }
        if (code() != null) {
            out.append("Code: ").append(code()).append('\n');
        }
        out.append("At: ").append(notification.at()).append("\n\n");
        out.append("What happened\n").append(whatHappened()).append("\n\n");
        out.append("What to do\n").append(whatToDo()).append("\n\n");
        out.append("Runbook: ").append(runbook()).append('\n');
        if (links.dashboard() != null) {
            out.append("Dashboard: ").append(links.dashboard()).append('\n');
        }
        out.append("Notification id: ").append(notification.id()).append('\n');
        return out.toString();
    }

    /** The HTML body of a mail: the same content as {@link #plain()}, escaped. */
    public String html() {
        StringBuilder out = new StringBuilder("<!DOCTYPE html><html><body>");
        out.append("<h2>").append(escape("[" + severity() + "] " + notification.title())).append("</h2>");
        out.append("<table>");
        row(out, "Severity", severity());
        row(out, "Account", notification.accountId());
        if (notification.txId() != null) {
            row(out, "Transaction", notification.txId());
        }
        if (code() != null) {
            row(out, "Code", code());
        }
        row(out, "At", notification.at().toString());
        out.append("</table>");
        out.append("<h3>What happened</h3><pre>").append(escape(whatHappened())).append("</pre>");
        out.append("<h3>What to do</h3><p>").append(escape(whatToDo())).append("</p>");
        out.append("<p>").append(link("Runbook", runbook()));
        if (links.dashboard() != null) {
            out.append(" &middot; ").append(link("Dashboard", links.dashboard()));
        }
        out.append("</p><p><small>Notification ").append(escape(notification.id())).append("</small></p>");
        return out.append("</body></html>").toString();
    }

    /** At most {@value #SMS_LENGTH} characters: severity, account, title, code. */
    public String sms() {
        String text = "KEEL " + severity() + " " + notification.accountId() + ": " + notification.title()
                + (code() == null ? "" : " (" + code() + ")");
        return text.length() <= SMS_LENGTH ? text : text.substring(0, SMS_LENGTH - 3) + "...";
    }

    private static void row(StringBuilder out, String name, String value) {
        out.append("<tr><th align=\"left\">").append(escape(name)).append("</th><td>").append(escape(value))
                .append("</td></tr>");
    }

    private static String link(String name, String target) {
        return Links.isWeb(target) ? "<a href=\"" + escape(target) + "\">" + escape(name) + "</a>"
                : escape(name) + ": " + escape(target);
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
