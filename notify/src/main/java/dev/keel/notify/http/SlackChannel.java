package dev.keel.notify.http;

import dev.keel.core.error.Severity;
import dev.keel.core.notify.AbstractChannel;
import dev.keel.core.notify.Notification;
import dev.keel.notify.Links;
import dev.keel.notify.NoticeText;
import dev.keel.notify.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Posts each notification to a Slack incoming webhook as blocks: a header with the severity and title, the account
 * and code, what happened, what to do, and links to the runbook and the dashboard. The webhook's address is the
 * secret (anyone holding it can post), so it comes from the environment or a file and never appears in an error.
 */
public final class SlackChannel extends AbstractChannel {
    /** Slack's limit on a section's text is 3,000 characters; a longer body is cut. */
    static final int SECTION_LIMIT = 3000;

    private final Secret webhook;
    private final Links links;
    private final HttpPost http;

    public SlackChannel(String name, Severity minimumSeverity, Secret webhook, Links links, Duration timeout) {
        super(name, minimumSeverity);
        this.webhook = webhook;
        this.links = links;
        this.http = new HttpPost(name, timeout, List.of(webhook));
    }

    @Override
    public void send(Notification notification) {
        http.post(URI.create(webhook.reveal()), "application/json", JsonBodies.write(body(notification, links)),
                Map.of());
    }

    /** The message: a fallback {@code text} for notifications and the {@code blocks} layout. */
    static Map<String, Object> body(Notification n, Links links) {
        NoticeText text = new NoticeText(n, links);
        List<Object> blocks = new ArrayList<>();
        blocks.add(Map.of("type", "header", "text", plain(cut(text.severity() + ": " + n.title(), 150))));
        List<Object> fields = new ArrayList<>();
        fields.add(markdown("*Severity*\n" + text.severity()));
        fields.add(markdown("*Account*\n" + n.accountId()));
        if (text.code() != null) {
            fields.add(markdown("*Code*\n`" + text.code() + "`"));
        }
        if (n.txId() != null) {
            fields.add(markdown("*Transaction*\n`" + n.txId() + "`"));
        }
        blocks.add(Map.of("type", "section", "fields", fields));
        blocks.add(Map.of("type", "section", "text", markdown(cut("*What happened*\n" + n.body(), SECTION_LIMIT))));
        blocks.add(Map.of("type", "section", "text", markdown(cut("*What to do*\n" + text.whatToDo(),
                SECTION_LIMIT))));
        blocks.add(Map.of("type", "context", "elements", List.of(markdown(linkLine(text, links)))));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", text.subject());
        body.put("blocks", blocks);
        return body;
    }

    private static String linkLine(NoticeText text, Links links) {
        String runbook = Links.isWeb(text.runbook()) ? "<" + text.runbook() + "|Runbook>"
                : "Runbook: `" + text.runbook() + "`";
        String dashboard = links.dashboard() == null ? ""
                : " | " + (Links.isWeb(links.dashboard()) ? "<" + links.dashboard() + "|Dashboard>"
                : "Dashboard: " + links.dashboard());
        return runbook + dashboard + " | id `" + text.notification().id() + "`";
    }

    private static Map<String, Object> plain(String text) {
        return Map.of("type", "plain_text", "text", text);
    }

    private static Map<String, Object> markdown(String text) {
        return Map.of("type", "mrkdwn", "text", text);
    }

    private static String cut(String text, int limit) {
        return text.length() <= limit ? text : text.substring(0, limit - 3) + "...";
    }
}
