package dev.keel.notify.http;

import dev.keel.core.error.Severity;
import dev.keel.core.notify.AbstractChannel;
import dev.keel.core.notify.Notification;
import dev.keel.notify.Links;
import dev.keel.notify.NoticeText;
import dev.keel.notify.Secret;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Posts each notification as JSON (snake_case keys) to any receiver (PagerDuty, Opsgenie, a chat bot), signed with
 * {@link WebhookSignature}: the receiver verifies the HMAC and the timestamp and refuses a replay.
 */
public final class WebhookChannel extends AbstractChannel {
    private final URI url;
    private final WebhookSignature signature;
    private final Links links;
    private final Clock clock;
    private final HttpPost http;

    /** @param clock stamps the signature's timestamp */
    public WebhookChannel(String name, Severity minimumSeverity, URI url, Secret secret, Links links,
                          Duration timeout, Clock clock) {
        super(name, minimumSeverity);
        this.url = url;
        this.signature = new WebhookSignature(secret);
        this.links = links;
        this.clock = clock;
        this.http = new HttpPost(name, timeout, List.of(secret));
    }

    @Override
    public void send(Notification notification) {
        String body = JsonBodies.write(body(notification, links));
        long timestamp = clock.instant().getEpochSecond();
        http.post(url, "application/json", body, Map.of(
                WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp),
                WebhookSignature.SIGNATURE_HEADER, signature.sign(timestamp, body)));
    }

    static Map<String, Object> body(Notification n, Links links) {
        NoticeText text = new NoticeText(n, links);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", n.id());
        body.put("account_id", n.accountId());
        body.put("transaction_id", n.txId());
        body.put("severity", n.severity().wire());
        body.put("code", text.code());
        body.put("title", n.title());
        body.put("body", n.body());
        body.put("what_to_do", text.whatToDo());
        body.put("runbook", text.runbook());
        body.put("dashboard", links.dashboard());
        body.put("at", n.at().toString());
        return body;
    }
}
