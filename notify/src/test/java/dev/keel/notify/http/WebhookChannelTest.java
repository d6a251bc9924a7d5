package dev.keel.notify.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.core.error.Severity;
import dev.keel.core.time.ManualClock;
import dev.keel.notify.Links;
import dev.keel.notify.Receiver;
import dev.keel.notify.Samples;
import dev.keel.notify.Secret;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebhookChannelTest {
    private final Receiver receiver = new Receiver();
    private final Secret secret = Secret.of("whsec-0123456789", "test");
    private final ManualClock clock = new ManualClock(Samples.T0);
    private final WebhookSignature verifier = new WebhookSignature(secret);

    @AfterEach
    void stop() {
        receiver.close();
    }

    private WebhookChannel channel() {
        return new WebhookChannel("hook", Severity.INFO, URI.create(receiver.url("/alerts")), secret, Links.DEFAULTS,
                Duration.ofSeconds(5), clock);
    }

    @Test
    void receiverVerifiesTheSignatureOverTimestampAndBody() {
        channel().send(Samples.halted());

        Receiver.Request r = receiver.requests().getFirst();
        assertThat(r.header(WebhookSignature.TIMESTAMP_HEADER)).isEqualTo(Long.toString(Samples.T0.getEpochSecond()));
        assertThat(r.header(WebhookSignature.SIGNATURE_HEADER)).startsWith("v1=").hasSize(3 + 64);
        assertThat(verifier.verify(r.header(WebhookSignature.TIMESTAMP_HEADER),
                r.header(WebhookSignature.SIGNATURE_HEADER), r.body(), Samples.T0.plusSeconds(2),
                WebhookSignature.DEFAULT_TOLERANCE)).isEqualTo(WebhookSignature.Verdict.VALID);
    }

    @Test
    void bodyIsSnakeCaseJsonWithCodeAndRunbook() throws Exception {
        channel().send(Samples.halted());

        JsonNode body = new ObjectMapper().readTree(receiver.requests().getFirst().body());
        List<String> keys = new ArrayList<>();
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            keys.add(it.next());
        }
        assertThat(keys).containsExactly("id", "account_id", "transaction_id", "severity", "code", "title", "body",
                "what_to_do", "runbook", "dashboard", "at");
        assertThat(body.get("severity").asText()).isEqualTo("critical");
        assertThat(body.get("code").asText()).isEqualTo("RECONCILIATION_MISMATCH");
        assertThat(body.get("runbook").asText()).isEqualTo("docs/runbooks/reconciliation-mismatch.md");
    }

    @Test
    void tamperedBodyWrongSecretAndReplayLaterAreRefused() {
        channel().send(Samples.halted());
        Receiver.Request r = receiver.requests().getFirst();
        String ts = r.header(WebhookSignature.TIMESTAMP_HEADER);
        String sig = r.header(WebhookSignature.SIGNATURE_HEADER);
        Duration tolerance = WebhookSignature.DEFAULT_TOLERANCE;

        assertThat(verifier.verify(ts, sig, r.body().replace("main", "other"), Samples.T0, tolerance))
                .isEqualTo(WebhookSignature.Verdict.BAD_SIGNATURE);
        assertThat(new WebhookSignature(Secret.of("another", "test")).verify(ts, sig, r.body(), Samples.T0,
                tolerance)).isEqualTo(WebhookSignature.Verdict.BAD_SIGNATURE);
        Instant anHourLater = Samples.T0.plus(Duration.ofHours(1));
        assertThat(verifier.verify(ts, sig, r.body(), anHourLater, tolerance))
                .isEqualTo(WebhookSignature.Verdict.STALE_TIMESTAMP);
        // a replay cannot move the timestamp forward: the signature covers it
        String movedTs = Long.toString(anHourLater.getEpochSecond());
        assertThat(verifier.verify(movedTs, sig, r.body(), anHourLater, tolerance))
                .isEqualTo(WebhookSignature.Verdict.BAD_SIGNATURE);
        assertThat(verifier.verify(null, sig, r.body(), Samples.T0, tolerance))
                .isEqualTo(WebhookSignature.Verdict.MISSING_HEADER);
        assertThat(verifier.verify("soon", sig, r.body(), Samples.T0, tolerance))
                .isEqualTo(WebhookSignature.Verdict.MALFORMED_TIMESTAMP);
    }
}
