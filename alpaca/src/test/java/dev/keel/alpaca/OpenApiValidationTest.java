package dev.keel.alpaca;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The validator the stub runs on every request does refuse what Alpaca's document forbids. */
class OpenApiValidationTest {
    private static final Map<String, List<String>> KEYS = Map.of(
            "APCA-API-KEY-ID", List.of("PKTEST"), "APCA-API-SECRET-KEY", List.of("secret"),
            "Content-Type", List.of("application/json"));

    @Test
    void aWellFormedOrderPasses() {
        assertThat(OpenApiValidation.problems("POST", "/v2/orders", null, KEYS,
                "{\"symbol\":\"AAPL\",\"qty\":\"1\",\"side\":\"buy\",\"type\":\"market\",\"time_in_force\":\"day\"}"))
                .isEmpty();
    }

    @Test
    void anOrderSideTheSpecDoesNotKnowFails() {
        assertThat(OpenApiValidation.problems("POST", "/v2/orders", null, KEYS,
                "{\"symbol\":\"AAPL\",\"qty\":\"1\",\"side\":\"sideways\",\"type\":\"market\",\"time_in_force\":\"day\"}"))
                .isNotEmpty();
    }

    @Test
    void aNumberWhereTheSpecWantsADecimalStringFails() {
        assertThat(OpenApiValidation.problems("POST", "/v2/orders", null, KEYS,
                "{\"symbol\":\"AAPL\",\"qty\":1,\"side\":\"buy\",\"type\":\"market\",\"time_in_force\":\"day\"}"))
                .isNotEmpty();
    }

    @Test
    void aRequestWithoutTheKeyHeadersFails() {
        assertThat(OpenApiValidation.problems("GET", "/v2/account", null, Map.of(), null)).isNotEmpty();
    }

    @Test
    void anOrderStatusFilterTheSpecDoesNotKnowFails() {
        assertThat(OpenApiValidation.problems("GET", "/v2/orders", "status=everything", KEYS, null)).isNotEmpty();
    }

    @Test
    void aCancelByAnIdThatIsNotAUuidFails() {
        assertThat(OpenApiValidation.problems("DELETE", "/v2/orders/not-a-uuid", null, KEYS, null)).isNotEmpty();
    }
}
