package dev.keel.notify.http;

import dev.keel.core.error.Severity;
import dev.keel.core.notify.AbstractChannel;
import dev.keel.core.notify.Notification;
import dev.keel.notify.Links;
import dev.keel.notify.NoticeText;
import dev.keel.notify.Secret;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Sends a short text through Twilio's Messages API: {@code POST {base}/2010-04-01/Accounts/{SID}/Messages.json},
 * form-encoded {@code To}, {@code From} and {@code Body}, with HTTP basic auth (account SID and auth token). One
 * request per recipient. By default only CRITICAL notifications go out by SMS ({@link #DEFAULT_MINIMUM}).
 */
public final class SmsChannel extends AbstractChannel {
    /** Twilio's API address: {@value}. */
    public static final String DEFAULT_BASE_URL = "https://api.twilio.com";
    /** The default least severity sent by SMS: CRITICAL. */
    public static final Severity DEFAULT_MINIMUM = Severity.CRITICAL;

    private final URI messages;
    private final String accountSid;
    private final Secret token;
    private final String from;
    private final List<String> to;
    private final Links links;
    private final HttpPost http;

    /**
     * @param baseUrl    the API's address without a trailing path, {@value #DEFAULT_BASE_URL} for Twilio itself
     * @param accountSid the account SID (not a secret: it is in the URL)
     * @param token      the auth token
     * @param from       the sending number, E.164
     * @param to         the numbers to text, E.164, at least one
     */
    public SmsChannel(String name, Severity minimumSeverity, String baseUrl, String accountSid, Secret token,
                      String from, List<String> to, Links links, Duration timeout) {
        super(name, minimumSeverity);
        Objects.requireNonNull(baseUrl, "baseUrl");
        this.accountSid = Objects.requireNonNull(accountSid, "accountSid");
        this.token = Objects.requireNonNull(token, "token");
        this.from = Objects.requireNonNull(from, "from");
        this.to = List.copyOf(to);
        if (this.to.isEmpty()) {
            throw new IllegalArgumentException("to must name at least one number, but was empty");
        }
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.messages = URI.create(base + "/2010-04-01/Accounts/" + encode(accountSid) + "/Messages.json");
        this.links = links;
        this.http = new HttpPost(name, timeout, List.of(token));
    }

    @Override
    public void send(Notification notification) {
        String text = new NoticeText(notification, links).sms();
        String auth = "Basic " + Base64.getEncoder().encodeToString((accountSid + ":" + token.reveal())
                .getBytes(StandardCharsets.UTF_8));
        for (String number : to) {
            String form = "To=" + encode(number) + "&From=" + encode(from) + "&Body=" + encode(text);
            http.post(messages, "application/x-www-form-urlencoded", form, Map.of("Authorization", auth));
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
