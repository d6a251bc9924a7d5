package dev.keel.alpaca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.core.broker.Broker;
import dev.keel.core.broker.BrokerException;
import dev.keel.core.broker.Delivery;
import dev.keel.core.broker.OrderQuery;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.MarketClock;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.OrderState;
import dev.keel.core.model.OrderType;
import dev.keel.core.model.Quote;
import dev.keel.core.model.Side;
import dev.keel.core.model.Symbol;
import dev.keel.core.model.TimeInForce;
import dev.keel.core.time.ManualClock;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AlpacaBrokerTest {
    static final AlpacaKeys KEYS = new AlpacaKeys("PKTESTKEYID0001", "sEcReT-test-0123456789abcdef");
    static final Symbol AAPL = Symbol.of("AAPL");

    private final ManualClock clock = new ManualClock(Instant.parse("2024-04-15T14:00:00Z"));
    private AlpacaStub alpaca;
    private AlpacaBroker broker;

    @BeforeEach
    void start() throws IOException {
        alpaca = new AlpacaStub();
        broker = broker(alpaca.url());
    }

    private AlpacaBroker broker(URI url) {
        return new AlpacaBroker("acct-1", AlpacaSettings.builder(url).dataUrl(url).timeout(Duration.ofSeconds(2))
                .build(), KEYS, clock, clock);
    }

    @AfterEach
    void stop() {
        broker.close();
        alpaca.close();
        assertThat(alpaca.problems()).as("requests the OpenAPI document forbids").isEmpty();
    }

    private JsonNode lastBody() throws IOException {
        return Fixtures.MAPPER.readTree(alpaca.last().body());
    }

    // ---- submit

    @Test
    void marketOrderByQuantityIsSentInAlpacaShapeWithKeysAndClientId() throws IOException {
        alpaca.on("POST", "/v2/orders", 200, Fixtures.order("00000001-0000-4000-8000-000000000001", "tx-1:AAPL").market("3").toString());

        BrokerOrder order = broker.submit("tx-1:AAPL", OrderSpec.marketQty(AAPL, Side.BUY, new BigDecimal("3")));

        JsonNode body = lastBody();
        assertThat(body.get("symbol").asText()).isEqualTo("AAPL");
        assertThat(body.get("qty").asText()).isEqualTo("3");
        assertThat(body.has("notional")).isFalse();
        assertThat(body.get("side").asText()).isEqualTo("buy");
        assertThat(body.get("type").asText()).isEqualTo("market");
        assertThat(body.get("time_in_force").asText()).isEqualTo("day");
        assertThat(body.get("client_order_id").asText()).isEqualTo("tx-1:AAPL");
        assertThat(alpaca.last().header("APCA-API-KEY-ID")).isEqualTo(KEYS.keyId());
        assertThat(alpaca.last().header("APCA-API-SECRET-KEY")).isEqualTo(KEYS.secret());
        assertThat(order.brokerOrderId()).isEqualTo("00000001-0000-4000-8000-000000000001");
        assertThat(order.clientOrderId()).isEqualTo("tx-1:AAPL");
        assertThat(order.state()).isEqualTo(OrderState.ACCEPTED);
        assertThat(order.spec().quantity()).isEqualByComparingTo("3");
    }

    @Test
    void notionalAndFractionalOrdersTravelAsDecimalStrings() throws IOException {
        alpaca.on("POST", "/v2/orders", 200, Fixtures.order("00000001-0000-4000-8000-000000000001", "n").market("3").toString());

        broker.submit("n", OrderSpec.marketNotional(AAPL, Side.BUY, new BigDecimal("1250.50")));
        JsonNode notional = lastBody();
        broker.submit("f", OrderSpec.marketQty(AAPL, Side.SELL, new BigDecimal("0.125")));
        JsonNode fractional = lastBody();

        assertThat(notional.get("notional").asText()).isEqualTo("1250.5");
        assertThat(notional.has("qty")).isFalse();
        assertThat(fractional.get("qty").asText()).isEqualTo("0.125");
        assertThat(fractional.get("side").asText()).isEqualTo("sell");
    }

    @Test
    void limitStopAndStopLimitOrdersCarryTheirPricesAndTimeInForce() throws IOException {
        alpaca.on("POST", "/v2/orders", 200, Fixtures.EQUITY_ORDER);

        broker.submit("l", OrderSpec.limit(AAPL, Side.BUY, BigDecimal.TEN, new BigDecimal("150.25"), TimeInForce.GTC));
        JsonNode limit = lastBody();
        broker.submit("s", OrderSpec.stop(AAPL, Side.SELL, BigDecimal.TEN, new BigDecimal("140"), TimeInForce.DAY));
        JsonNode stop = lastBody();
        broker.submit("sl", OrderSpec.stopLimit(AAPL, Side.SELL, BigDecimal.TEN, new BigDecimal("140"),
                new BigDecimal("139.5"), TimeInForce.IOC));
        JsonNode stopLimit = lastBody();

        assertThat(limit.get("type").asText()).isEqualTo("limit");
        assertThat(limit.get("limit_price").asText()).isEqualTo("150.25");
        assertThat(limit.get("time_in_force").asText()).isEqualTo("gtc");
        assertThat(stop.get("type").asText()).isEqualTo("stop");
        assertThat(stop.get("stop_price").asText()).isEqualTo("140");
        assertThat(stop.has("limit_price")).isFalse();
        assertThat(stopLimit.get("type").asText()).isEqualTo("stop_limit");
        assertThat(stopLimit.get("limit_price").asText()).isEqualTo("139.5");
        assertThat(stopLimit.get("time_in_force").asText()).isEqualTo("ioc");
    }

    // ---- errors from structured signals

    @Test
    void forbiddenWithCode40310000IsInsufficientBuyingPowerNotAuth() {
        alpaca.on("POST", "/v2/orders", 403, Fixtures.INSUFFICIENT_BUYING_POWER);

        BrokerException e = submitFails();

        assertThat(e.code()).isEqualTo(ErrorCode.INSUFFICIENT_BUYING_POWER);
        assertThat(e.delivery()).isEqualTo(Delivery.REFUSED);
        assertThat(e.httpStatus()).isEqualTo(403);
        assertThat(e.brokerCode()).isEqualTo("40310000");
        assertThat(e.rawResponse()).as("a body Keel read is summarised, not kept raw").isNull();
    }

    @Test
    void forbiddenWithoutCodeIsForbidden() {
        alpaca.on("POST", "/v2/orders", 403, Fixtures.FORBIDDEN);

        BrokerException e = submitFails();

        assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(e.brokerCode()).isNull();
    }

    @Test
    void unauthorizedIsNotProcessed() {
        alpaca.on("GET", "/v2/account", 401, Fixtures.UNAUTHORIZED);

        assertThatThrownBy(broker::account).isInstanceOfSatisfying(BrokerException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
            assertThat(e.httpStatus()).isEqualTo(401);
        });
    }

    @Test
    void unprocessableOrderIsRejectedWhenNoOrderHoldsTheClientId() {
        alpaca.on("POST", "/v2/orders", 422, Fixtures.NOT_ALLOWED);
        alpaca.on("GET", "/v2/orders:by_client_order_id", 404, Fixtures.NOT_FOUND);

        BrokerException e = submitFails();

        assertThat(e.code()).isEqualTo(ErrorCode.ORDER_REJECTED);
        assertThat(e.delivery()).isEqualTo(Delivery.REFUSED);
        assertThat(e.brokerCode()).isEqualTo("40010001");
        assertThat(e.getMessage()).contains("us_equity orders not allowed for account");
    }

    @Test
    void unprocessableOrderWhoseClientIdAlpacaHoldsIsADuplicate() {
        alpaca.on("POST", "/v2/orders", 422, "{\"code\":40010001,\"message\":\"client_order_id must be unique\"}");
        alpaca.on("GET", "/v2/orders:by_client_order_id", 200, Fixtures.order("00000003-0000-4000-8000-000000000003", "tx-1:AAPL").toString());

        BrokerException e = submitFails();

        assertThat(e.code()).isEqualTo(ErrorCode.DUPLICATE_CLIENT_ORDER_ID);
        assertThat(e.delivery()).isEqualTo(Delivery.REFUSED);
        assertThat(e.getMessage()).contains("00000003-0000-4000-8000-000000000003");
    }

    @Test
    void rateLimitedCarriesRetryAfter() {
        alpaca.on("POST", "/v2/orders", AlpacaStub.Answer.json(429, Fixtures.RATE_LIMITED).with("Retry-After", "7"));

        BrokerException e = submitFails();

        assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(e.delivery()).isEqualTo(Delivery.NOT_PROCESSED);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void rateLimitedWithoutRetryAfterWaitsForTheWindowReset() {
        long reset = clock.instant().getEpochSecond() + 12;
        alpaca.on("GET", "/v2/clock", AlpacaStub.Answer.json(429, Fixtures.RATE_LIMITED)
                .with("X-RateLimit-Limit", "200").with("X-RateLimit-Remaining", "0")
                .with("X-RateLimit-Reset", Long.toString(reset)));

        assertThatThrownBy(broker::clock).isInstanceOfSatisfying(BrokerException.class,
                e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(12)));
    }

    @Test
    void noRequestLeftInAlpacasWindowDelaysTheNextRequestUntilItResets() {
        long reset = clock.instant().getEpochSecond() + 4;
        alpaca.on("GET", "/v2/clock", AlpacaStub.Answer.json(200, Fixtures.CLOCK).with("X-RateLimit-Limit", "200")
                .with("X-RateLimit-Remaining", "0").with("X-RateLimit-Reset", Long.toString(reset)));
        broker.clock();
        Instant before = clock.instant();

        broker.clock();

        assertThat(Duration.between(before, clock.instant())).isEqualTo(Duration.ofSeconds(4));
        assertThat(alpaca.received()).hasSize(2);
        assertThat(broker.rateLimit().remaining()).isZero();
    }

    @Test
    void requestsLeftInAlpacasWindowAreSentAtOnce() {
        alpaca.on("GET", "/v2/clock", AlpacaStub.Answer.json(200, Fixtures.CLOCK).with("X-RateLimit-Remaining", "5")
                .with("X-RateLimit-Reset", Long.toString(clock.instant().getEpochSecond() + 30)));
        Instant before = clock.instant();

        broker.clock();
        broker.clock();

        assertThat(clock.instant()).isEqualTo(before);
    }

    @Test
    void aWindowResetTooFarAwayRefusesTheRequestUnsent() {
        long reset = clock.instant().getEpochSecond() + 50;
        alpaca.on("GET", "/v2/clock", AlpacaStub.Answer.json(200, Fixtures.CLOCK).with("X-RateLimit-Remaining", "0")
                .with("X-RateLimit-Reset", Long.toString(reset)));
        broker.clock();

        assertThatThrownBy(broker::clock).isInstanceOfSatisfying(BrokerException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
            assertThat(e.delivery()).isEqualTo(Delivery.NOT_PROCESSED);
            assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(50));
        });
        assertThat(alpaca.received()).hasSize(1);
    }

    @Test
    void serverErrorOnSubmitIsAmbiguousAndKeepsTheUnreadableBodyRaw() {
        alpaca.on("POST", "/v2/orders", 502, Fixtures.BAD_GATEWAY);

        BrokerException e = submitFails();

        assertThat(e.code()).isEqualTo(ErrorCode.BROKER_SERVER_ERROR);
        assertThat(e.delivery()).isEqualTo(Delivery.AMBIGUOUS);
        assertThat(e.rawResponse()).isEqualTo(Fixtures.BAD_GATEWAY);
    }

    @Test
    void successWithAnUnreadableBodyOnSubmitIsUnrecognizedAndAmbiguous() {
        alpaca.on("POST", "/v2/orders", 200, "{\"id\":\"o-1\",\"status\":\"teleported\"}");

        BrokerException e = submitFails();

        assertThat(e.code()).isEqualTo(ErrorCode.BROKER_RESPONSE_UNRECOGNIZED);
        assertThat(e.delivery()).isEqualTo(Delivery.AMBIGUOUS);
        assertThat(e.rawResponse()).isEqualTo("{\"id\":\"o-1\",\"status\":\"teleported\"}");
    }

    @Test
    void anUnknownOrderStatusIsUnrecognizedNotGuessed() {
        alpaca.on("POST", "/v2/orders", 200, Fixtures.order("00000001-0000-4000-8000-000000000001", "c").set("status", "teleported").toString());

        BrokerException e = submitFails();

        assertThat(e.code()).isEqualTo(ErrorCode.BROKER_RESPONSE_UNRECOGNIZED);
        assertThat(e.getMessage()).contains("teleported");
        assertThat(e.rawResponse()).contains("teleported");
    }

    @Test
    void rawBodiesAreBoundedInLength() {
        alpaca.on("POST", "/v2/orders", 500, "x".repeat(10_000));

        BrokerException e = submitFails();

        assertThat(e.rawResponse()).hasSizeLessThan(AlpacaErrors.MAX_RAW + 40);
    }

    @Test
    void connectionDroppedAfterTheSubmitLeftIsAmbiguous() {
        alpaca.on("POST", "/v2/orders", AlpacaStub.DROP);

        BrokerException e = submitFails();

        assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_RESET);
        assertThat(e.delivery()).isEqualTo(Delivery.AMBIGUOUS);
    }

    @Test
    void timeoutOnSubmitIsAmbiguous() {
        alpaca.on("POST", "/v2/orders", AlpacaStub.HANG);
        broker.close();
        broker = new AlpacaBroker("acct-1", AlpacaSettings.builder(alpaca.url()).timeout(Duration.ofMillis(300))
                .build(), KEYS, clock, clock);

        BrokerException e = submitFails();

        assertThat(e.code()).isEqualTo(ErrorCode.BROKER_TIMEOUT);
        assertThat(e.delivery()).isEqualTo(Delivery.AMBIGUOUS);
    }

    @Test
    void timeoutOnAReadIsAPlainRetryableFailure() {
        alpaca.on("GET", "/v2/positions", AlpacaStub.HANG);
        broker.close();
        broker = new AlpacaBroker("acct-1", AlpacaSettings.builder(alpaca.url()).timeout(Duration.ofMillis(300))
                .build(), KEYS, clock, clock);

        assertThatThrownBy(broker::positions).isInstanceOfSatisfying(BrokerException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.BROKER_TIMEOUT);
            assertThat(e.code().retryable()).isTrue();
            assertThat(e.delivery()).isEqualTo(Delivery.NOT_PROCESSED);
        });
    }

    @Test
    void connectionRefusedIsNotProcessed() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        broker.close();
        broker = broker(URI.create("http://127.0.0.1:" + port));

        BrokerException e = submitFails();

        assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_REFUSED);
        assertThat(e.delivery()).isEqualTo(Delivery.NOT_PROCESSED);
    }

    // ---- lookup, cancel, lists

    @Test
    void lookupByClientIdFindsTheOrder() {
        alpaca.on("GET", "/v2/orders:by_client_order_id", 200,
                Fixtures.order("00000001-0000-4000-8000-000000000001", "tx-1:AAPL").status("filled", "2", "150.10").toString());

        Optional<BrokerOrder> found = broker.orderByClientId("tx-1:AAPL");

        assertThat(found).hasValueSatisfying(o -> {
            assertThat(o.state()).isEqualTo(OrderState.FILLED);
            assertThat(o.filledQuantity()).isEqualByComparingTo("2");
            assertThat(o.filledAvgPrice()).isEqualByComparingTo("150.10");
        });
        assertThat(alpaca.last().query()).isEqualTo("client_order_id=tx-1%3AAAPL");
    }

    @Test
    void alpacasNotFoundIsEmpty() {
        alpaca.on("GET", "/v2/orders:by_client_order_id", 404, Fixtures.NOT_FOUND);

        assertThat(broker.orderByClientId("tx-1:AAPL")).isEmpty();
    }

    @Test
    void aNotFoundWithoutAlpacasCodeSaysNothingAboutTheOrder() {
        alpaca.on("GET", "/v2/orders:by_client_order_id", 404, "<html>404 page not found</html>");

        assertThatThrownBy(() -> broker.orderByClientId("tx-1:AAPL"))
                .isInstanceOfSatisfying(BrokerException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.BROKER_RESPONSE_UNRECOGNIZED);
                    assertThat(e.rawResponse()).contains("404 page not found");
                });
    }

    @Test
    void aFailedLookupThrowsRatherThanSayingNotFound() {
        alpaca.on("GET", "/v2/orders:by_client_order_id", 503, "{\"message\":\"service unavailable\"}");

        assertThatThrownBy(() -> broker.orderByClientId("tx-1:AAPL")).isInstanceOf(BrokerException.class);
    }

    @Test
    void cancelAnswers204ThenReadsTheOrderBack() {
        alpaca.on("DELETE", "/v2/orders/00000001-0000-4000-8000-000000000001", 204, null);
        alpaca.on("GET", "/v2/orders/00000001-0000-4000-8000-000000000001", 200, Fixtures.order("00000001-0000-4000-8000-000000000001", "c-1").set("status", "canceled").toString());

        BrokerOrder order = broker.cancel("00000001-0000-4000-8000-000000000001");

        assertThat(order.state()).isEqualTo(OrderState.CANCELLED);
        assertThat(alpaca.received()).extracting(AlpacaStub.Received::method).containsExactly("DELETE", "GET");
    }

    @Test
    void cancelOfAnOrderThatAlreadyFilledAnswersTheFilledOrder() {
        alpaca.on("DELETE", "/v2/orders/00000001-0000-4000-8000-000000000001", 422, Fixtures.ALREADY_FILLED);
        alpaca.on("GET", "/v2/orders/00000001-0000-4000-8000-000000000001", 200, Fixtures.order("00000001-0000-4000-8000-000000000001", "c-1").status("filled", "2", "150").toString());

        BrokerOrder order = broker.cancel("00000001-0000-4000-8000-000000000001");

        assertThat(order.state()).isEqualTo(OrderState.FILLED);
    }

    @Test
    void cancelOfAnUnknownOrderIsOrderNotFound() {
        alpaca.on("DELETE", "/v2/orders/00000001-0000-4000-8000-000000000001", 404, Fixtures.NOT_FOUND);

        assertThatThrownBy(() -> broker.cancel("00000001-0000-4000-8000-000000000001")).isInstanceOfSatisfying(BrokerException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.ORDER_NOT_FOUND));
    }

    @Test
    void cancelWhoseConnectionDropsIsAmbiguous() {
        alpaca.on("DELETE", "/v2/orders/00000001-0000-4000-8000-000000000001", AlpacaStub.DROP);

        assertThatThrownBy(() -> broker.cancel("00000001-0000-4000-8000-000000000001")).isInstanceOfSatisfying(BrokerException.class,
                e -> assertThat(e.delivery()).isEqualTo(Delivery.AMBIGUOUS));
    }

    @Test
    void ordersQueryIsSentWithAlpacasFiltersOldestFirst() {
        alpaca.on("GET", "/v2/orders", 200, "[" + Fixtures.order("00000001-0000-4000-8000-000000000001", "a").status("filled", "2", "150") + ","
                + Fixtures.order("00000002-0000-4000-8000-000000000002", "b").set("status", "canceled") + "]");

        List<BrokerOrder> orders = broker.orders(new OrderQuery(OrderQuery.Status.ALL,
                Instant.parse("2024-04-01T00:00:00Z"), 20));

        assertThat(orders).extracting(BrokerOrder::state).containsExactly(OrderState.FILLED, OrderState.CANCELLED);
        assertThat(alpaca.last().query()).isEqualTo(
                "status=all&limit=20&direction=asc&nested=true&after=2024-04-01T00%3A00%3A00Z");
    }

    @Test
    void openOrdersFollowsPagesUntilAShortOne() {
        StringBuilder full = new StringBuilder("[");
        for (int i = 0; i < AlpacaBroker.PAGE; i++) {
            full.append(i == 0 ? "" : ",").append(Fixtures.order(String.format("00000000-0000-4000-8000-%012d", 1000 + i), "c-" + i)
                    .set("created_at", Instant.parse("2024-04-15T10:00:00Z").plusSeconds(i).toString()));
        }
        alpaca.on("GET", "/v2/orders", 200, full.append("]").toString());
        alpaca.on("GET", "/v2/orders", 200, "[" + Fixtures.order("00000008-0000-4000-8000-000000000008", "c-last") + "]");

        List<BrokerOrder> open = broker.openOrders();

        assertThat(open).hasSize(AlpacaBroker.PAGE + 1);
        assertThat(alpaca.last().query()).contains("status=open").contains("after=2024-04-15T10%3A08%3A19Z");
    }

    // ---- order classes

    @Test
    void ocoIsSentAsAlpacasOrderClassAndItsLegIsNamedByKeelsConvention() throws IOException {
        alpaca.on("POST", "/v2/orders", 200, Fixtures.order("00000004-0000-4000-8000-000000000004", "op-1").set("side", "sell")
                .set("order_class", "oco").legs(Fixtures.order("00000005-0000-4000-8000-000000000005", "alpaca-random-id").set("side", "sell")
                        .set("type", "stop").set("limit_price", null).set("stop_price", "140")).toString());
        OrderSpec tp = OrderSpec.limit(AAPL, Side.SELL, BigDecimal.TEN, new BigDecimal("160"), TimeInForce.GTC);
        OrderSpec sl = OrderSpec.stop(AAPL, Side.SELL, BigDecimal.TEN, new BigDecimal("140"), TimeInForce.GTC);

        BrokerOrder parent = broker.submitOco("op-1", tp, sl);

        JsonNode body = lastBody();
        assertThat(body.get("order_class").asText()).isEqualTo("oco");
        assertThat(body.get("type").asText()).isEqualTo("limit");
        assertThat(body.get("take_profit").get("limit_price").asText()).isEqualTo("160");
        assertThat(body.get("stop_loss").get("stop_price").asText()).isEqualTo("140");
        assertThat(parent.clientOrderId()).isEqualTo("op-1");
        assertThat(broker.holdsOrderClasses()).isTrue();

        alpaca.on("DELETE", "/v2/orders/00000005-0000-4000-8000-000000000005", 204, null);
        alpaca.on("GET", "/v2/orders/00000005-0000-4000-8000-000000000005", 200, Fixtures.order("00000005-0000-4000-8000-000000000005", "alpaca-random-id").set("type", "stop")
                .set("limit_price", null).set("stop_price", "140").set("status", "canceled").toString());
        assertThat(broker.cancel("00000005-0000-4000-8000-000000000005").clientOrderId()).isEqualTo("op-1" + Broker.STOP_LOSS_SUFFIX);
    }

    @Test
    void bracketLegsAreFoundByKeelsSuffixesThroughTheirParent() throws IOException {
        String parent = Fixtures.order("00000004-0000-4000-8000-000000000004", "br-1").market("10").set("order_class", "bracket")
                .status("filled", "10", "150").legs(
                        Fixtures.order("00000006-0000-4000-8000-000000000006", "rnd-1").set("side", "sell").set("limit_price", "170"),
                        Fixtures.order("00000007-0000-4000-8000-000000000007", "rnd-2").set("side", "sell").set("type", "stop_limit")
                                .set("stop_price", "140").set("limit_price", "139")).toString();
        alpaca.on("POST", "/v2/orders", 200, parent);

        broker.submitBracket("br-1", OrderSpec.marketQty(AAPL, Side.BUY, BigDecimal.TEN), new BigDecimal("170"),
                new BigDecimal("140"), new BigDecimal("139"));
        JsonNode body = lastBody();
        assertThat(body.get("order_class").asText()).isEqualTo("bracket");
        assertThat(body.get("take_profit").get("limit_price").asText()).isEqualTo("170");
        assertThat(body.get("stop_loss").get("limit_price").asText()).isEqualTo("139");

        alpaca.on("GET", "/v2/orders:by_client_order_id", 404, Fixtures.NOT_FOUND);
        alpaca.on("GET", "/v2/orders:by_client_order_id", 200, parent);
        Optional<BrokerOrder> sl = broker.orderByClientId("br-1" + Broker.STOP_LOSS_SUFFIX);

        assertThat(sl).hasValueSatisfying(o -> {
            assertThat(o.brokerOrderId()).isEqualTo("00000007-0000-4000-8000-000000000007");
            assertThat(o.spec().type()).isEqualTo(OrderType.STOP_LIMIT);
        });
        assertThat(alpaca.received()).extracting(r -> r.query() == null ? "" : r.query())
                .contains("client_order_id=br-1%3Asl", "client_order_id=br-1");
    }

    @Test
    void listsShowLegsUnderKeelsNames() {
        alpaca.on("GET", "/v2/orders", 200, "[" + Fixtures.order("00000004-0000-4000-8000-000000000004", "br-1").set("order_class", "bracket")
                .legs(Fixtures.order("00000006-0000-4000-8000-000000000006", "rnd-1").set("side", "sell").set("limit_price", "170"),
                        Fixtures.order("00000007-0000-4000-8000-000000000007", "rnd-2").set("side", "sell").set("type", "stop")
                                .set("limit_price", null).set("stop_price", "140")) + "]");

        assertThat(broker.openOrders()).extracting(BrokerOrder::clientOrderId)
                .containsExactly("br-1", "br-1" + Broker.TAKE_PROFIT_SUFFIX, "br-1" + Broker.STOP_LOSS_SUFFIX);
    }

    // ---- reads

    @Test
    void accountTakesCashAsTheCeilingOfBuyingPowerSoMarginIsNeverUsed() {
        alpaca.on("GET", "/v2/account", 200, Fixtures.ACCOUNT);
        alpaca.on("GET", "/v2/positions", 200, Fixtures.POSITIONS);

        AccountSnapshot account = broker.account();

        assertThat(account.accountId()).isEqualTo("acct-1");
        assertThat(account.cash()).isEqualByComparingTo("122086.5");
        assertThat(account.buyingPower()).isEqualByComparingTo("122086.5");
        assertThat(account.positions()).singleElement().satisfies(p -> {
            assertThat(p.symbol()).isEqualTo(AAPL);
            assertThat(p.quantity()).isEqualByComparingTo("5");
            assertThat(p.marketPrice()).isEqualByComparingTo("120.0");
        });
        assertThat(account.asOf()).isEqualTo(clock.instant());
        assertThat(broker.accountStatus().canTrade()).isTrue();
    }

    @Test
    void clockAndQuoteAreRead() {
        alpaca.on("GET", "/v2/clock", 200, Fixtures.CLOCK);
        alpaca.on("GET", "/v2/stocks/AAPL/quotes/latest", 200, Fixtures.QUOTE);

        MarketClock market = broker.clock();
        Quote quote = broker.quote(AAPL);

        assertThat(market.open()).isTrue();
        assertThat(market.nextClose()).isEqualTo(Instant.parse("2024-04-15T20:00:00Z"));
        assertThat(quote.bid()).isEqualByComparingTo("172.5");
        assertThat(quote.ask()).isEqualByComparingTo("172.55");
        assertThat(quote.at()).isEqualTo(Instant.parse("2024-04-15T14:15:30.123456789Z"));
        assertThat(alpaca.last().query()).isEqualTo("feed=iex");
    }

    @Test
    void dailyBarsFollowPageTokens() {
        alpaca.on("GET", "/v2/stocks/AAPL/bars", 200, "{\"bars\":[{\"t\":\"2024-04-11T04:00:00Z\",\"o\":170,\"h\":"
                + "172,\"l\":169,\"c\":171.5,\"v\":100,\"n\":5,\"vw\":171}],\"symbol\":\"AAPL\","
                + "\"next_page_token\":\"tok\"}");
        alpaca.on("GET", "/v2/stocks/AAPL/bars", 200, "{\"bars\":[{\"t\":\"2024-04-12T04:00:00Z\",\"o\":171,\"h\":"
                + "173,\"l\":170,\"c\":172,\"v\":100,\"n\":5,\"vw\":172}],\"symbol\":\"AAPL\",\"next_page_token\":null}");

        var bars = broker.dailyBars(AAPL, Instant.parse("2024-04-10T00:00:00Z"), Instant.parse("2024-04-13T00:00:00Z"));

        assertThat(bars).extracting(b -> b.close().toPlainString()).containsExactly("171.5", "172");
        assertThat(alpaca.last().query()).contains("timeframe=1Day").contains("page_token=tok").contains("feed=iex");
    }

    private BrokerException submitFails() {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(
                () -> broker.submit("tx-1:AAPL", OrderSpec.marketQty(AAPL, Side.BUY, BigDecimal.ONE)));
        assertThat(t).isInstanceOf(BrokerException.class);
        return (BrokerException) t;
    }
}
