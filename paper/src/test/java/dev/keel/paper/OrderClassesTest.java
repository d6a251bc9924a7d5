package dev.keel.paper;

import static dev.keel.paper.Fixtures.TLT;
import static dev.keel.paper.Fixtures.VTI;
import static dev.keel.paper.Fixtures.buy;
import static dev.keel.paper.Fixtures.dec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.keel.core.broker.Broker;
import dev.keel.core.broker.BrokerException;
import dev.keel.core.broker.Delivery;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.OrderClass;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.OrderState;
import dev.keel.core.model.Side;
import dev.keel.core.model.TimeInForce;
import dev.keel.core.time.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Stop and stop-limit orders, time in force, and OCO and bracket order classes held by the exchange. */
class OrderClassesTest {
    private final ManualClock clock = Fixtures.clock();

    private PaperExchange exchange(PaperConfig.Builder config) {
        return Fixtures.exchange(config.build(), clock);
    }

    private static BrokerOrder byClientId(Broker broker, String clientOrderId) {
        return broker.orderByClientId(clientOrderId).orElseThrow();
    }

    private static OrderSpec tlTakeProfit(String limit) {
        return OrderSpec.limit(TLT, Side.SELL, dec("10"), dec(limit), TimeInForce.GTC);
    }

    private static OrderSpec tltStopLoss(String stop) {
        return OrderSpec.stop(TLT, Side.SELL, dec("10"), dec(stop), TimeInForce.GTC);
    }

    @Test
    void sellStopTriggersWhenTheBidFallsToItAndFillsAsAMarketOrder() {
        PaperExchange exchange = exchange(Fixtures.config());
        Broker broker = exchange.broker("acct");

        BrokerOrder stop = broker.submit("s", OrderSpec.stop(TLT, Side.SELL, dec("4"), dec("88"), TimeInForce.GTC));
        exchange.setPrice(TLT, dec("88.50"));
        assertThat(byClientId(broker, "s").state()).isEqualTo(OrderState.ACCEPTED);
        exchange.setPrice(TLT, dec("87.90"));

        BrokerOrder after = byClientId(broker, "s");
        assertThat(stop.state()).isEqualTo(OrderState.ACCEPTED);
        assertThat(after.state()).isEqualTo(OrderState.FILLED);
        assertThat(after.filledAvgPrice()).isEqualByComparingTo("87.90");
        assertThat(broker.account().quantity(TLT)).isEqualByComparingTo("6");
    }

    @Test
    void buyStopTriggersWhenTheAskRisesToIt() {
        PaperExchange exchange = exchange(Fixtures.config());
        Broker broker = exchange.broker("acct");

        broker.submit("b", OrderSpec.stop(VTI, Side.BUY, dec("2"), dec("255"), TimeInForce.DAY));
        exchange.setPrice(VTI, dec("254.99"));
        assertThat(byClientId(broker, "b").state()).isEqualTo(OrderState.ACCEPTED);
        exchange.setPrice(VTI, dec("255"));

        assertThat(byClientId(broker, "b").state()).isEqualTo(OrderState.FILLED);
        assertThat(broker.account().quantity(VTI)).isEqualByComparingTo("2");
    }

    @Test
    void stopLimitTriggersThenRestsAsALimitUntilMarketable() {
        PaperExchange exchange = exchange(Fixtures.config());
        Broker broker = exchange.broker("acct");

        broker.submit("sl", OrderSpec.stopLimit(TLT, Side.SELL, dec("5"), dec("88"), dec("87.50"), TimeInForce.GTC));
        exchange.setPrice(TLT, dec("87")); // crosses the stop, but below the limit: rests
        assertThat(byClientId(broker, "sl").state()).isEqualTo(OrderState.ACCEPTED);
        exchange.setPrice(TLT, dec("87.60")); // above the stop no more matters: the limit is marketable

        BrokerOrder filled = byClientId(broker, "sl");
        assertThat(filled.state()).isEqualTo(OrderState.FILLED);
        assertThat(filled.filledAvgPrice()).isEqualByComparingTo("87.60");
    }

    @Test
    void stopOrdersMustBeDayOrGtc() {
        Broker broker = exchange(Fixtures.config()).broker("acct");

        BrokerException e = catchThrowableOfType(BrokerException.class,
                () -> broker.submit("s", OrderSpec.stop(TLT, Side.SELL, dec("1"), dec("80"), TimeInForce.IOC)));

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ORDER);
        assertThat(e).hasMessageContaining("day or gtc");
    }

    @Test
    void iocFillsWhatItCanAndCancelsTheRest() {
        Broker broker = exchange(Fixtures.config().fillMode(VTI, FillMode.partial(dec("0.4")))).broker("acct");

        BrokerOrder ioc = broker.submit("i", OrderSpec.limit(VTI, Side.BUY, dec("10"), dec("251"), TimeInForce.IOC));

        assertThat(ioc.state()).isEqualTo(OrderState.CANCELLED);
        assertThat(ioc.filledQuantity()).isEqualByComparingTo("4");
        assertThat(broker.account().quantity(VTI)).isEqualByComparingTo("4");
    }

    @Test
    void gtcSurvivesTheSessionCloseWhileDayExpires() {
        PaperExchange exchange = exchange(Fixtures.config().marketHours(MarketHours.US_EQUITIES));
        Broker broker = exchange.broker("acct");
        broker.submit("day", OrderSpec.stop(TLT, Side.SELL, dec("1"), dec("80"), TimeInForce.DAY));
        broker.submit("gtc", OrderSpec.stop(TLT, Side.SELL, dec("1"), dec("80"), TimeInForce.GTC));

        clock.advance(Duration.ofHours(7)); // past the 16:00 close

        assertThat(byClientId(broker, "day").state()).isEqualTo(OrderState.EXPIRED);
        assertThat(byClientId(broker, "gtc").state()).isEqualTo(OrderState.ACCEPTED);
    }

    @Test
    void dayOrdersNeverExpireOnAnAlwaysOpenExchange() {
        Broker broker = exchange(Fixtures.config()).broker("acct");
        broker.submit("day", OrderSpec.limit(VTI, Side.BUY, dec("1"), dec("200"), TimeInForce.DAY));

        clock.advance(Duration.ofDays(3));

        assertThat(byClientId(broker, "day").state()).isEqualTo(OrderState.ACCEPTED);
    }

    @Test
    void ocoTargetFillCancelsTheStopAtOnce() {
        PaperExchange exchange = exchange(Fixtures.config());
        Broker broker = exchange.broker("acct");

        BrokerOrder target = broker.submitOco("x", tlTakeProfit("92"), tltStopLoss("85"));
        assertThat(byClientId(broker, "x:sl").state()).isEqualTo(OrderState.ACCEPTED);
        exchange.setPrice(TLT, dec("92.10"));

        assertThat(target.state()).isEqualTo(OrderState.ACCEPTED);
        assertThat(byClientId(broker, "x").state()).isEqualTo(OrderState.FILLED);
        assertThat(byClientId(broker, "x:sl").state()).isEqualTo(OrderState.CANCELLED);
        assertThat(broker.account().position(TLT)).isEmpty();
        ExchangeOrderLogEntry parent = exchange.orderLog().get(0);
        assertThat(parent.orderClass()).isEqualTo(OrderClass.OCO);
        assertThat(parent.legOrderIds()).containsExactly(byClientId(broker, "x:sl").brokerOrderId());
    }

    @Test
    void ocoStopFillCancelsTheTarget() {
        PaperExchange exchange = exchange(Fixtures.config());
        Broker broker = exchange.broker("acct");

        broker.submitOco("x", tlTakeProfit("92"), tltStopLoss("85"));
        exchange.setPrice(TLT, dec("84.50"));

        assertThat(byClientId(broker, "x:sl").state()).isEqualTo(OrderState.FILLED);
        assertThat(byClientId(broker, "x").state()).isEqualTo(OrderState.CANCELLED);
        assertThat(broker.account().cash()).isEqualByComparingTo("10845.00");
    }

    @Test
    void ocoLegFilledOnlyPartlyStillCancelsItsTwin() {
        PaperExchange exchange = exchange(Fixtures.config().fillMode(TLT, FillMode.partial(dec("0.5"))));
        Broker broker = exchange.broker("acct");

        broker.submitOco("x", tlTakeProfit("92"), tltStopLoss("85"));
        exchange.setPrice(TLT, dec("93"));

        BrokerOrder target = byClientId(broker, "x");
        assertThat(target.state()).isEqualTo(OrderState.PARTIALLY_FILLED);
        assertThat(target.filledQuantity()).isEqualByComparingTo("5");
        assertThat(byClientId(broker, "x:sl").state()).isEqualTo(OrderState.CANCELLED);
    }

    @Test
    void cancellingOneOcoLegCancelsBoth() {
        Broker broker = exchange(Fixtures.config()).broker("acct");
        BrokerOrder target = broker.submitOco("x", tlTakeProfit("92"), tltStopLoss("85"));

        broker.cancel(target.brokerOrderId());

        assertThat(byClientId(broker, "x:sl").state()).isEqualTo(OrderState.CANCELLED);
        assertThat(broker.openOrders()).isEmpty();
    }

    @Test
    void ocoLegsHoldBackTheSharesOnce() {
        Broker broker = exchange(Fixtures.config()).broker("acct");
        broker.submitOco("x", tlTakeProfit("92"), tltStopLoss("85"));

        BrokerException e = catchThrowableOfType(BrokerException.class,
                () -> broker.submit("more", OrderSpec.marketQty(TLT, Side.SELL, dec("1"))));

        assertThat(broker.openOrders()).hasSize(2);
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ORDER);
    }

    @Test
    void bracketEntryFillActivatesLegsSizedToTheFill() {
        PaperExchange exchange = exchange(Fixtures.config().fillMode(VTI, FillMode.partial(dec("0.5"))));
        Broker broker = exchange.broker("acct");

        BrokerOrder entry = broker.submitBracket("br", OrderSpec.limit(VTI, Side.BUY, dec("8"), dec("249"),
                TimeInForce.GTC), dec("260"), dec("240"), null);
        assertThat(entry.state()).isEqualTo(OrderState.ACCEPTED);
        assertThat(broker.orderByClientId("br:tp")).isEmpty();
        exchange.setPrice(VTI, dec("248"));

        BrokerOrder target = byClientId(broker, "br:tp");
        BrokerOrder stop = byClientId(broker, "br:sl");
        assertThat(byClientId(broker, "br").filledQuantity()).isEqualByComparingTo("4");
        assertThat(target.spec()).isEqualTo(OrderSpec.limit(VTI, Side.SELL, dec("4"), dec("260"), TimeInForce.GTC));
        assertThat(stop.spec()).isEqualTo(OrderSpec.stop(VTI, Side.SELL, dec("4"), dec("240"), TimeInForce.GTC));
        assertThat(target.state()).isEqualTo(OrderState.ACCEPTED);
        assertThat(stop.state()).isEqualTo(OrderState.ACCEPTED);
        ExchangeOrderLogEntry logged = exchange.orderLog().get(0);
        assertThat(logged.orderClass()).isEqualTo(OrderClass.BRACKET);
        assertThat(logged.legOrderIds()).containsExactly(target.brokerOrderId(), stop.brokerOrderId());
    }

    @Test
    void bracketTargetFillCancelsTheStop() {
        PaperExchange exchange = exchange(Fixtures.config());
        Broker broker = exchange.broker("acct");
        broker.submitBracket("br", buy(VTI, "2"), dec("260"), dec("240"), dec("239"));

        exchange.setPrice(VTI, dec("261"));

        assertThat(byClientId(broker, "br:tp").state()).isEqualTo(OrderState.FILLED);
        assertThat(byClientId(broker, "br:sl").state()).isEqualTo(OrderState.CANCELLED);
        assertThat(byClientId(broker, "br:sl").spec().limitPrice()).isEqualByComparingTo("239");
        assertThat(broker.account().position(VTI)).isEmpty();
    }

    @Test
    void bracketStopFillCancelsTheTarget() {
        PaperExchange exchange = exchange(Fixtures.config());
        Broker broker = exchange.broker("acct");
        broker.submitBracket("br", buy(VTI, "2"), dec("260"), dec("240"), null);

        exchange.setPrice(VTI, dec("239"));

        assertThat(byClientId(broker, "br:sl").state()).isEqualTo(OrderState.FILLED);
        assertThat(byClientId(broker, "br:sl").filledAvgPrice()).isEqualByComparingTo("239");
        assertThat(byClientId(broker, "br:tp").state()).isEqualTo(OrderState.CANCELLED);
    }

    @Test
    void duplicateClientOrderIdOnALegIsRefused() {
        Broker broker = exchange(Fixtures.config()).broker("acct");
        broker.submit("x:sl", buy(VTI, "1"));
        broker.submitBracket("br", OrderSpec.limit(VTI, Side.BUY, dec("1"), dec("200"), TimeInForce.GTC),
                dec("260"), dec("240"), null);

        BrokerException taken = catchThrowableOfType(BrokerException.class,
                () -> broker.submitOco("x", tlTakeProfit("92"), tltStopLoss("85")));
        BrokerException promised = catchThrowableOfType(BrokerException.class,
                () -> broker.submit("br:tp", buy(VTI, "1")));

        assertThat(taken.code()).isEqualTo(ErrorCode.DUPLICATE_CLIENT_ORDER_ID);
        assertThat(promised.code()).isEqualTo(ErrorCode.DUPLICATE_CLIENT_ORDER_ID);
        assertThat(promised.delivery()).isEqualTo(Delivery.REFUSED);
        assertThat(broker.orderByClientId("x")).isEmpty();
    }
}
