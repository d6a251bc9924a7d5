package dev.keel.paper.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TradingApiTest {
    private final Served served = new Served();

    @AfterEach
    void close() {
        served.close();
    }

    private static List<String> field(JsonNode list, String name) {
        List<String> values = new ArrayList<>();
        list.forEach(o -> values.add(o.path(name).asText()));
        return values;
    }

    @Test
    void accountClockAndPositionsAnswerInAlpacasShape() {
        Served.Reply account = served.get("/v2/account", "/v2/account");
        assertThat(account.status()).isEqualTo(200);
        assertThat(account.body().path("account_number").asText()).isEqualTo("acct");
        assertThat(account.body().path("cash").asText()).isEqualTo("10000");
        assertThat(account.body().path("status").asText()).isEqualTo("ACTIVE");
        assertThat(account.body().path("trading_blocked").asBoolean(true)).isFalse();

        Served.Reply clock = served.get("/v2/clock", "/v2/clock");
        assertThat(clock.body().path("timestamp").asText()).isEqualTo("2025-03-03T10:00:00-05:00");

        served.post("{\"symbol\":\"VTI\",\"qty\":\"2\",\"side\":\"buy\",\"type\":\"market\",\"time_in_force\":\"day\"}");
        Served.Reply positions = served.get("/v2/positions", "/v2/positions");
        assertThat(field(positions.body(), "symbol")).containsExactly("VTI");
        assertThat(positions.body().get(0).path("qty").asText()).isEqualTo("2");
        assertThat(positions.body().get(0).path("market_value").asText()).isEqualTo("500");
        Served.Reply one = served.get("/v2/positions/{symbol_or_asset_id}", "/v2/positions/VTI");
        assertThat(one.body().path("current_price").asText()).isEqualTo("250");
        assertThat(served.get(null, "/v2/positions/TLT").status()).isEqualTo(404);
    }

    @Test
    void aMarketOrderFillsAndIsFoundByItsIdAndClientOrderId() {
        Served.Reply placed = served.post("{\"symbol\":\"VTI\",\"qty\":\"3\",\"side\":\"buy\",\"type\":\"market\","
                + "\"time_in_force\":\"day\",\"client_order_id\":\"keel-1\"}");

        assertThat(placed.status()).isEqualTo(200);
        assertThat(placed.body().path("status").asText()).isEqualTo("filled");
        assertThat(placed.body().path("filled_qty").asText()).isEqualTo("3");
        assertThat(placed.body().path("filled_avg_price").asText()).isEqualTo("250");
        assertThat(placed.body().path("order_class").asText()).isEqualTo("simple");
        String id = placed.body().path("id").asText();
        Served.Reply byCid = served.get("/v2/orders:by_client_order_id",
                "/v2/orders:by_client_order_id?client_order_id=keel-1");
        assertThat(byCid.body().path("id").asText()).isEqualTo(id);
        Served.Reply byId = served.get("/v2/orders/{order_id}", "/v2/orders/" + id);
        assertThat(byId.body().path("client_order_id").asText()).isEqualTo("keel-1");
        assertThat(served.get(null, "/v2/orders:by_client_order_id?client_order_id=nobody").status())
                .isEqualTo(404);
    }

    @Test
    void aSecondOrderWithTheSameClientOrderIdIsRefusedAsAlpacaDoes() {
        String order = "{\"symbol\":\"VTI\",\"qty\":\"1\",\"side\":\"buy\",\"type\":\"market\","
                + "\"time_in_force\":\"day\",\"client_order_id\":\"same\"}";
        served.post(order);

        Served.Reply again = served.post(order);

        assertThat(again.status()).isEqualTo(422);
        assertThat(again.body().path("code").asLong()).isEqualTo(40010001L);
        assertThat(again.body().path("message").asText()).isEqualTo("client_order_id must be unique");
        assertThat(served.exchange.orderLog()).hasSize(1);
    }

    @Test
    void aBuyBeyondBuyingPowerIs403WithAlpacasCode() {
        Served.Reply refused = served.post("{\"symbol\":\"VTI\",\"qty\":\"100\",\"side\":\"buy\",\"type\":\"market\","
                + "\"time_in_force\":\"day\"}");

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body().path("code").asLong()).isEqualTo(40310000L);
    }

    @Test
    void notionalAndFractionalOrdersFill() {
        Served.Reply notional = served.post("{\"symbol\":\"VTI\",\"notional\":\"125\",\"side\":\"buy\","
                + "\"type\":\"market\",\"time_in_force\":\"day\"}");
        Served.Reply fractional = served.post("{\"symbol\":\"TLT\",\"qty\":0.25,\"side\":\"buy\","
                + "\"type\":\"market\",\"time_in_force\":\"day\"}");

        assertThat(notional.body().path("notional").asText()).isEqualTo("125");
        assertThat(notional.body().path("qty").isNull()).isTrue();
        assertThat(notional.body().path("filled_qty").asText()).isEqualTo("0.5");
        assertThat(fractional.body().path("filled_qty").asText()).isEqualTo("0.25");
    }

    @Test
    void anUnsupportedFieldIsRefusedNamingIt() {
        Served.Reply refused = served.post("{\"symbol\":\"VTI\",\"qty\":\"1\",\"side\":\"buy\","
                + "\"type\":\"trailing_stop\",\"time_in_force\":\"day\"}");

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.body().path("message").asText()).contains("type").contains("trailing_stop");
    }

    @Test
    void ordersAreListedByStatusTimeAndDirection() {
        served.post("{\"symbol\":\"VTI\",\"qty\":\"1\",\"side\":\"buy\",\"type\":\"market\",\"time_in_force\":\"day\","
                + "\"client_order_id\":\"filled\"}");
        served.clock.advance(java.time.Duration.ofSeconds(1));
        served.post("{\"symbol\":\"VTI\",\"qty\":\"1\",\"side\":\"buy\",\"type\":\"limit\",\"limit_price\":\"200\","
                + "\"time_in_force\":\"gtc\",\"client_order_id\":\"resting\"}");
        served.clock.advance(java.time.Duration.ofSeconds(1));
        served.post("{\"symbol\":\"TLT\",\"qty\":\"1\",\"side\":\"buy\",\"type\":\"stop_limit\",\"stop_price\":\"95\","
                + "\"limit_price\":\"96\",\"time_in_force\":\"day\",\"client_order_id\":\"stop\"}");

        assertThat(field(served.get("/v2/orders", "/v2/orders").body(), "client_order_id"))
                .containsExactly("stop", "resting");
        assertThat(field(served.get("/v2/orders", "/v2/orders?status=closed").body(), "client_order_id"))
                .containsExactly("filled");
        assertThat(field(served.get("/v2/orders", "/v2/orders?status=all&direction=asc&limit=2").body(),
                "client_order_id")).containsExactly("filled", "resting");
        assertThat(field(served.get("/v2/orders", "/v2/orders?status=all&after=2025-03-03T15:00:00Z").body(),
                "client_order_id")).containsExactly("stop", "resting");
        assertThat(field(served.get("/v2/orders", "/v2/orders?status=all&symbols=TLT").body(),
                "client_order_id")).containsExactly("stop");
        assertThat(served.get(null, "/v2/orders?status=sometimes").status()).isEqualTo(422);
    }

    @Test
    void aBracketComesBackWithItsLegsNested() {
        Served.Reply bracket = served.post("{\"symbol\":\"VTI\",\"qty\":\"2\",\"side\":\"buy\",\"type\":\"market\","
                + "\"time_in_force\":\"gtc\",\"order_class\":\"bracket\",\"client_order_id\":\"b1\","
                + "\"take_profit\":{\"limit_price\":\"270\"},\"stop_loss\":{\"stop_price\":\"230\"}}");

        assertThat(bracket.status()).isEqualTo(200);
        assertThat(bracket.body().path("order_class").asText()).isEqualTo("bracket");
        assertThat(field(bracket.body().path("legs"), "client_order_id")).containsExactlyInAnyOrder("b1:tp", "b1:sl");
        assertThat(field(bracket.body().path("legs"), "type")).containsExactlyInAnyOrder("limit", "stop");
        JsonNode nested = served.get("/v2/orders", "/v2/orders?status=open&nested=true").body();
        assertThat(nested).isEmpty(); // the open legs are rolled up under their filled parent
        assertThat(field(served.get("/v2/orders", "/v2/orders?status=all&nested=true").body(), "client_order_id"))
                .containsExactly("b1");
        assertThat(field(served.get("/v2/orders", "/v2/orders").body(), "client_order_id"))
                .containsExactlyInAnyOrder("b1:tp", "b1:sl");
    }

    @Test
    void anOcoPairRestsAsATakeProfitWithItsStopLossLeg() {
        served.post("{\"symbol\":\"VTI\",\"qty\":\"4\",\"side\":\"buy\",\"type\":\"market\",\"time_in_force\":\"day\"}");

        Served.Reply oco = served.post("{\"symbol\":\"VTI\",\"qty\":\"4\",\"side\":\"sell\",\"type\":\"limit\","
                + "\"time_in_force\":\"gtc\",\"order_class\":\"oco\",\"client_order_id\":\"exit\","
                + "\"take_profit\":{\"limit_price\":\"280\"},\"stop_loss\":{\"stop_price\":\"220\",\"limit_price\":\"219\"}}");

        assertThat(oco.status()).isEqualTo(200);
        assertThat(oco.body().path("order_class").asText()).isEqualTo("oco");
        assertThat(oco.body().path("limit_price").asText()).isEqualTo("280");
        assertThat(field(oco.body().path("legs"), "client_order_id")).containsExactly("exit:sl");
        assertThat(oco.body().path("legs").get(0).path("type").asText()).isEqualTo("stop_limit");
    }

    @Test
    void cancelAnswers204AndAnEndedOrderIsNotCancelable() {
        String resting = served.post("{\"symbol\":\"VTI\",\"qty\":\"1\",\"side\":\"buy\",\"type\":\"limit\","
                + "\"limit_price\":\"200\",\"time_in_force\":\"gtc\"}").body().path("id").asText();
        String filled = served.post("{\"symbol\":\"VTI\",\"qty\":\"1\",\"side\":\"buy\",\"type\":\"market\","
                + "\"time_in_force\":\"day\"}").body().path("id").asText();

        assertThat(served.call("DELETE", "/v2/orders/{order_id}", "/v2/orders/" + resting, null).status())
                .isEqualTo(204);
        assertThat(served.get("/v2/orders/{order_id}", "/v2/orders/" + resting).body().path("status").asText())
                .isEqualTo("canceled");
        Served.Reply tooLate = served.call("DELETE", "/v2/orders/{order_id}", "/v2/orders/" + filled, null);
        assertThat(tooLate.status()).isEqualTo(422);
        assertThat(tooLate.body().path("code").asLong()).isEqualTo(42210000L);
        assertThat(served.call("DELETE", null, "/v2/orders/00000000-0000-0000-0000-000000000000", null).status())
                .isEqualTo(404);
    }

    @Test
    void bulkCancelAnswers207WithEachOrdersOutcome() {
        for (String price : List.of("200", "201")) {
            served.post("{\"symbol\":\"VTI\",\"qty\":\"1\",\"side\":\"buy\",\"type\":\"limit\",\"limit_price\":\""
                    + price + "\",\"time_in_force\":\"gtc\"}");
        }

        Served.Reply bulk = served.call("DELETE", "/v2/orders", "/v2/orders", null);

        assertThat(bulk.status()).isEqualTo(207);
        assertThat(field(bulk.body(), "status")).containsExactly("200", "200");
        assertThat(served.get("/v2/orders", "/v2/orders").body()).isEmpty();
    }

    @Test
    void aReplacedOrderPointsToItsReplacement() {
        String old = served.post("{\"symbol\":\"VTI\",\"qty\":\"1\",\"side\":\"buy\",\"type\":\"limit\","
                + "\"limit_price\":\"200\",\"time_in_force\":\"gtc\",\"client_order_id\":\"v1\"}").body().path("id")
                .asText();

        Served.Reply replaced = served.call("PATCH", "/v2/orders/{order_id}", "/v2/orders/" + old,
                "{\"qty\":\"2\",\"limit_price\":\"210\",\"client_order_id\":\"v2\"}");

        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.body().path("client_order_id").asText()).isEqualTo("v2");
        assertThat(replaced.body().path("qty").asText()).isEqualTo("2");
        assertThat(replaced.body().path("limit_price").asText()).isEqualTo("210");
        assertThat(replaced.body().path("replaces").asText()).isEqualTo(old);
        JsonNode before = served.get("/v2/orders/{order_id}", "/v2/orders/" + old).body();
        assertThat(before.path("status").asText()).isEqualTo("replaced");
        assertThat(before.path("replaced_by").asText()).isEqualTo(replaced.body().path("id").asText());
        assertThat(served.call("PATCH", null, "/v2/orders/" + old, "{\"qty\":\"3\"}").status()).isEqualTo(422);
    }
}
