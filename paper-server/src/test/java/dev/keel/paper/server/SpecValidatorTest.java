package dev.keel.paper.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The validator the server's tests lean on must catch what the spec forbids, or those tests prove nothing. */
class SpecValidatorTest {
    private static ObjectNode order() {
        ObjectNode o = AlpacaJson.MAPPER.createObjectNode();
        o.put("id", "61e69015-8549-4bfd-b9c3-01e75843f47d");
        o.put("client_order_id", "keel-1");
        o.put("symbol", "VTI");
        o.putNull("notional");
        o.put("qty", "1");
        o.put("filled_qty", "0");
        o.put("type", "market");
        o.put("side", "buy");
        o.put("time_in_force", "day");
        o.put("status", "new");
        o.put("order_class", "simple");
        return o;
    }

    @Test
    void aConformingOrderPasses() {
        assertThat(SpecValidator.problems("/v2/orders", "POST", 200, order())).isEmpty();
    }

    @Test
    void anUnknownStatusFails() {
        assertThat(SpecValidator.problems("/v2/orders", "POST", 200, order().put("status", "working"))).isNotEmpty();
    }

    @Test
    void aMissingRequiredFieldFails() {
        ObjectNode o = order();
        o.remove("time_in_force");
        assertThat(SpecValidator.problems("/v2/orders/{order_id}", "GET", 200, o)).isNotEmpty();
    }

    @Test
    void aNumberWhereTheSpecSaysStringFails() {
        assertThat(SpecValidator.problems("/v2/orders", "POST", 200, order().put("filled_qty", 1))).isNotEmpty();
    }

    @Test
    void anErrorBodyNeedsCodeAndMessage() {
        assertThat(SpecValidator.problemsAgainst("Error", AlpacaJson.MAPPER.valueToTree(
                Map.of("code", 40010001, "message", "client_order_id must be unique")))).isEmpty();
        assertThat(SpecValidator.problemsAgainst("Error", AlpacaJson.MAPPER.valueToTree(
                Map.of("message", "no code")))).isNotEmpty();
    }
}
