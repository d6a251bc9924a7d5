package dev.keel.notify.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.core.error.Severity;
import dev.keel.notify.Links;
import dev.keel.notify.Receiver;
import dev.keel.notify.Samples;
import dev.keel.notify.Secret;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SmsChannelTest {
    private final Receiver twilio = new Receiver().answer(201, "{\"sid\":\"SM1\"}");
    private final Secret token = Secret.of("tok-abcdef123456", "test");

    @AfterEach
    void stop() {
        twilio.close();
    }

    private SmsChannel channel(List<String> to) {
        return new SmsChannel("sms", SmsChannel.DEFAULT_MINIMUM, twilio.url(""), "AC123", token, "+15550001111", to,
                Links.DEFAULTS, Duration.ofSeconds(5));
    }

    @Test
    void postsTwilioMessagesShapeWithBasicAuthToEachNumber() {
        channel(List.of("+15552223333", "+15554445555")).send(Samples.halted());

        assertThat(twilio.requests()).hasSize(2);
        Receiver.Request first = twilio.requests().getFirst();
        assertThat(first.path()).isEqualTo("/2010-04-01/Accounts/AC123/Messages.json");
        assertThat(first.header("content-type")).isEqualTo("application/x-www-form-urlencoded");
        assertThat(first.header("authorization")).isEqualTo("Basic " + Base64.getEncoder()
                .encodeToString("AC123:tok-abcdef123456".getBytes(StandardCharsets.UTF_8)));
        Map<String, String> form = form(first.body());
        assertThat(form).containsEntry("To", "+15552223333").containsEntry("From", "+15550001111");
        assertThat(form.get("Body")).isEqualTo("KEEL CRITICAL main: Account main HALTED (was ACTIVE) "
                + "(RECONCILIATION_MISMATCH)").hasSizeLessThanOrEqualTo(160);
        assertThat(form(twilio.requests().get(1).body())).containsEntry("To", "+15554445555");
    }

    @Test
    void onlyCriticalByDefault() {
        SmsChannel channel = channel(List.of("+15552223333"));
        assertThat(channel.accepts(Samples.halted())).isTrue();
        var high = new dev.keel.core.notify.Notification("n-2", "main", null, Severity.HIGH, "t", "b", Samples.T0);
        assertThat(channel.accepts(high)).isFalse();
    }

    @Test
    void refusedCredentialsThrowWithoutTheToken() {
        twilio.answer(401, "{\"message\":\"Authenticate\",\"token\":\"tok-abcdef123456\"}");

        assertThatThrownBy(() -> channel(List.of("+15552223333")).send(Samples.halted()))
                .hasMessageContaining("channel 'sms' answered HTTP 401")
                .hasMessageNotContaining("tok-abcdef123456");
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }
}
