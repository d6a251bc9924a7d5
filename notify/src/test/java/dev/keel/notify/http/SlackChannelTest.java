package dev.keel.notify.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.core.error.Severity;
import dev.keel.notify.Links;
import dev.keel.notify.Receiver;
import dev.keel.notify.Samples;
import dev.keel.notify.Secret;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SlackChannelTest {
    private final Receiver slack = new Receiver();
    private final Secret url = Secret.of(slack.url("/services/T000/B000/s3cretPath"), "test");
    private final Links links = new Links("https://keel.example/dash", "https://keel.example/runbooks/");

    @AfterEach
    void stop() {
        slack.close();
    }

    @Test
    void postsBlocksWithSeverityAccountWhatHappenedWhatToDoAndLinks() throws Exception {
        new SlackChannel("slack", Severity.INFO, url, links, Duration.ofSeconds(5)).send(Samples.halted());

        Receiver.Request request = slack.requests().getFirst();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/services/T000/B000/s3cretPath");
        assertThat(request.header("content-type")).isEqualTo("application/json");
        JsonNode body = new ObjectMapper().readTree(request.body());
        assertThat(body.get("text").asText()).isEqualTo("[CRITICAL] Account main HALTED (was ACTIVE) - account main");
        JsonNode blocks = body.get("blocks");
        assertThat(blocks.get(0).get("type").asText()).isEqualTo("header");
        assertThat(blocks.get(0).get("text").get("text").asText()).isEqualTo("CRITICAL: Account main HALTED (was ACTIVE)");
        assertThat(blocks.get(1).get("fields").toString()).contains("*Severity*\\nCRITICAL", "*Account*\\nmain",
                "RECONCILIATION_MISMATCH", "tx-9");
        assertThat(blocks.get(2).get("text").get("text").asText()).startsWith("*What happened*\nBroker positions");
        assertThat(blocks.get(3).get("text").get("text").asText())
                .isEqualTo("*What to do*\n" + dev.keel.core.error.ErrorCode.RECONCILIATION_MISMATCH.suggestion());
        assertThat(blocks.get(4).get("elements").get(0).get("text").asText())
                .contains("<https://keel.example/runbooks/reconciliation-mismatch.md|Runbook>")
                .contains("<https://keel.example/dash|Dashboard>");
    }

    @Test
    void refusedPostThrowsWithTheStatusButNotTheWebhookAddress() {
        slack.answer(404, "no_service for " + url.reveal());
        SlackChannel channel = new SlackChannel("slack", Severity.INFO, url, links, Duration.ofSeconds(5));

        assertThatThrownBy(() -> channel.send(Samples.halted()))
                .hasMessageContaining("channel 'slack' answered HTTP 404")
                .hasMessageNotContaining("s3cretPath");
    }

    @Test
    void unreachableWebhookThrowsWithoutTheAddress() {
        Secret closed;
        try (Receiver gone = new Receiver()) {
            closed = Secret.of(gone.url("/services/T/B/s3cretPath"), "test");
        }
        SlackChannel channel = new SlackChannel("slack", Severity.INFO, closed, links, Duration.ofSeconds(5));

        assertThatThrownBy(() -> channel.send(Samples.halted()))
                .hasMessageContaining("channel 'slack' could not be reached")
                .hasMessageNotContaining("s3cretPath");
    }
}
