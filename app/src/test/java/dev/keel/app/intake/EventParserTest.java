package dev.keel.app.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.core.events.Event;
import dev.keel.core.events.EventType;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a worker accepts as an event, and the reason it gives for what it does not. */
class EventParserTest {
    private final EventParser parser = new EventParser(Set.of("main", "side"), 512,
            Map.of("main", Set.of("alloc.example.com")));

    @Test
    void aRebalanceWithTargetsIsReadWithItsWeightsExactly() throws EventRejected {
        Event e = parser.parse("{\"event_id\":\"e-1\",\"account_id\":\"main\",\"type\":\"rebalance\","
                + "\"created_at\":\"2026-03-02T15:00:00Z\",\"payload\":{\"targets\":{\"VTI\":0.6,\"TLT\":0.4}}}");
        assertThat(e.eventId()).isEqualTo("e-1");
        assertThat(e.type()).isEqualTo(EventType.REBALANCE);
        assertThat(e.createdAt()).isEqualTo(Instant.parse("2026-03-02T15:00:00Z"));
        assertThat(e.targets()).containsEntry("VTI", new BigDecimal("0.6")).containsEntry("TLT", new BigDecimal("0.4"));
    }

    @Test
    void aRebalanceMayNameAnAllocationServiceAndAReconcileNeedsNothing() throws EventRejected {
        assertThat(parser.parse("{\"event_id\":\"e-1\",\"account_id\":\"main\",\"type\":\"rebalance\","
                + "\"payload\":{\"allocation_url\":\"https://alloc.example.com/main\"}}").allocationUrl())
                .isEqualTo(URI.create("https://alloc.example.com/main"));
        Event reconcile = parser.parse("{\"event_id\":\"e-2\",\"account_id\":\"side\",\"type\":\"reconcile\"}");
        assertThat(parser.parse("{\"event_id\":\"e-3\",\"account_id\":\"main\",\"type\":\"rebalance\","
                + "\"payload\":{\"allocation_url\":\"https://ALLOC.example.com/other\"}}").allocationUrl().getHost())
                .isEqualTo("ALLOC.example.com"); // host names compare without case
        assertThat(reconcile.type()).isEqualTo(EventType.RECONCILE);
        assertThat(reconcile.createdAt()).isNull();
    }

    @Test
    void eachMistakeIsNamed() {
        assertRejected("[1, 2]", "expected a JSON object");
        assertRejected("{\"account_id\":\"main\",\"type\":\"rebalance\"}", "event_id must be a non-empty string, but"
                + " was missing");
        assertRejected(event("rebalance", "{\"targets\":{\"VTI\":0.6},\"allocation_url\":\"https://a.example\"}"),
                "payload has both targets and allocation_url");
        assertRejected(event("rebalance", "{\"weights\":{}}"), "payload.weights is unknown");
        assertRejected(event("rebalance", "{\"targets\":{\"VTI\":1.5}}"), "payload.targets.VTI must be a weight in"
                + " (0, 1], but was 1.5");
        assertRejected(event("rebalance", "{\"allocation_url\":\"file:///etc/passwd\"}"), "must be an http(s) URL");
        // a worker fetches the URL: an event may not point it at a host the account does not allow
        assertRejected(event("rebalance", "{\"allocation_url\":\"http://169.254.169.254/latest/meta-data\"}"),
                "payload.allocation_url names host '169.254.169.254', which account 'main' does not allow; allowed:"
                        + " alloc.example.com");
        assertRejected("{\"event_id\":\"e\",\"account_id\":\"side\",\"type\":\"rebalance\",\"payload\":"
                + "{\"allocation_url\":\"https://alloc.example.com/side\"}}", "which account 'side' does not allow; it"
                + " allows none");
        assertRejected(event("reconcile", "{\"targets\":{\"VTI\":1}}"), "a reconcile event takes no payload");
        assertRejected("{\"event_id\":\"e\",\"account_id\":\"main\",\"type\":\"rebalance\",\"created_at\":\"today\"}",
                "created_at must be an ISO-8601 instant");
    }

    private static String event(String type, String payload) {
        return "{\"event_id\":\"e\",\"account_id\":\"main\",\"type\":\"" + type + "\",\"payload\":" + payload + "}";
    }

    private void assertRejected(String body, String reason) {
        assertThatThrownBy(() -> parser.parse(body)).isInstanceOf(EventRejected.class).hasMessageContaining(reason);
    }
}
