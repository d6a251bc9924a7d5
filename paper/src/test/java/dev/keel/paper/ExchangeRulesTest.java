package dev.keel.paper;

import static dev.keel.paper.Fixtures.TLT;
import static dev.keel.paper.Fixtures.VTI;
import static dev.keel.paper.Fixtures.buy;
import static dev.keel.paper.Fixtures.dec;
import static dev.keel.paper.Fixtures.sell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.keel.core.broker.Broker;
import dev.keel.core.broker.BrokerException;
import dev.keel.core.broker.Delivery;
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
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ExchangeRulesTest {
    private final ManualClock clock = Fixtures.clock();

    private Broker broker(PaperConfig.Builder config) {
        return Fixtures.exchange(config.build(), clock).broker("acct");
    }

    private static BrokerException failure(Runnable call) {
        return catchThrowableOfType(BrokerException.class, call::run);
    }

    @Test
    void marketOrdersFillAtTheAskAndTheBid() {
        Broker broker = broker(Fixtures.config().spreadBps(dec("20"))); // 10 bps each side of the mid

        Quote quote = broker.quote(VTI);
        BrokerOrder bought = broker.submit("b", buy(VTI, "2"));
        BrokerOrder sold = broker.submit("s", sell(TLT, "10"));

        assertThat(quote.bid()).isEqualByComparingTo("249.75");
        assertThat(quote.ask()).isEqualByComparingTo("250.25");
        assertThat(bought.filledAvgPrice()).isEqualByComparingTo("250.25");
        assertThat(sold.filledAvgPrice()).isEqualByComparingTo("89.91");
        AccountSnapshot account = broker.account();
        assertThat(account.cash()).isEqualByComparingTo("10398.60"); // 10000 - 500.50 + 899.10
        assertThat(account.quantity(VTI)).isEqualByComparingTo("2");
        assertThat(account.position(TLT)).isEmpty();
    }

    @Test
    void duplicateClientOrderIdIsRefusedAsAlpacaDoes() {
        Broker broker = broker(Fixtures.config());
        broker.submit("c1", buy(VTI, "1"));

        BrokerException e = failure(() -> broker.submit("c1", buy(TLT, "1")));

        assertThat(e.code()).isEqualTo(ErrorCode.DUPLICATE_CLIENT_ORDER_ID);
        assertThat(e.delivery()).isEqualTo(Delivery.REFUSED);
        assertThat(e.httpStatus()).isEqualTo(422);
        assertThat(broker.account().quantity(TLT)).isEqualByComparingTo("10");
    }

    @Test
    void buyBeyondBuyingPowerIsRefused() {
        PaperExchange exchange = Fixtures.exchange(Fixtures.config().fault(FaultRule.noFill().withNth(1)).build(), clock);
        Broker broker = exchange.broker("acct");
        broker.submit("held", buy(VTI, "30")); // 7,500 reserved by an open order

        BrokerException e = failure(() -> broker.submit("c2", buy(VTI, "11")));

        assertThat(e.code()).isEqualTo(ErrorCode.INSUFFICIENT_BUYING_POWER);
        assertThat(e.delivery()).isEqualTo(Delivery.REFUSED);
        assertThat(e.httpStatus()).isEqualTo(403);
        assertThat(broker.account().buyingPower()).isEqualByComparingTo("2500.00");
        assertThat(broker.submit("c3", buy(VTI, "10")).state()).isEqualTo(OrderState.FILLED);
        assertThat(exchange.orderLog()).hasSize(2);
    }

    @Test
    void sellingMoreThanHeldIsRefusedBecauseThereIsNoShorting() {
        Broker broker = broker(Fixtures.config());

        BrokerException tooMany = failure(() -> broker.submit("s1", sell(TLT, "10.5")));
        BrokerException none = failure(() -> broker.submit("s2", sell(VTI, "1")));

        assertThat(tooMany.code()).isEqualTo(ErrorCode.INVALID_ORDER);
        assertThat(tooMany.httpStatus()).isEqualTo(422);
        assertThat(none.code()).isEqualTo(ErrorCode.INVALID_ORDER);
        assertThat(broker.submit("s3", sell(TLT, "10")).state()).isEqualTo(OrderState.FILLED);
    }

    @Test
    void unknownSymbolIsRefused() {
        Broker broker = broker(Fixtures.config());

        BrokerException submit = failure(() -> broker.submit("c1", buy(Symbol.of("NOPE"), "1")));
        BrokerException quote = failure(() -> broker.quote(Symbol.of("NOPE")));

        assertThat(submit.code()).isEqualTo(ErrorCode.SYMBOL_NOT_FOUND);
        assertThat(submit.httpStatus()).isEqualTo(422);
        assertThat(quote.code()).isEqualTo(ErrorCode.SYMBOL_NOT_FOUND);
    }

    @Test
    void notionalIsConvertedToQuantityAtNineDecimalsRoundedDown() {
        Broker broker = broker(Fixtures.config().price(VTI, dec("300")));

        BrokerOrder order = broker.submit("n", OrderSpec.marketNotional(VTI, Side.BUY, dec("1000")));

        assertThat(order.state()).isEqualTo(OrderState.FILLED);
        assertThat(order.filledQuantity()).isEqualByComparingTo("3.333333333");
        assertThat(broker.account().cash()).isEqualByComparingTo("9000.00");
    }

    @Test
    void fractionalAndNotionalRulesAreEnforced() {
        Broker strict = broker(Fixtures.config().fractionalAllowed(false).notionalAllowed(false));
        Broker open = broker(Fixtures.config());

        assertThat(failure(() -> strict.submit("f", buy(VTI, "1.5"))).code()).isEqualTo(ErrorCode.INVALID_ORDER);
        assertThat(failure(() -> strict.submit("n", OrderSpec.marketNotional(VTI, Side.BUY, dec("100")))).code())
                .isEqualTo(ErrorCode.INVALID_ORDER);
        assertThat(strict.submit("w", buy(VTI, "2")).state()).isEqualTo(OrderState.FILLED);
        OrderSpec fractionalGtc = new OrderSpec(VTI, Side.BUY, OrderType.MARKET, dec("0.5"), null, null, TimeInForce.GTC,
                null);
        assertThat(failure(() -> open.submit("g", fractionalGtc)).code()).isEqualTo(ErrorCode.INVALID_ORDER);
        assertThat(open.submit("d", buy(VTI, "0.5")).state()).isEqualTo(OrderState.FILLED);
    }

    @Test
    void usEquitiesRefusesOrdersWhileClosedAndReportsItsClock() {
        Broker broker = broker(Fixtures.config().marketHours(MarketHours.US_EQUITIES));
        MarketClock open = broker.clock();
        clock.advance(Duration.ofHours(7)); // 17:00 New York

        BrokerException e = failure(() -> broker.submit("c1", buy(VTI, "1")));
        MarketClock closed = broker.clock();

        assertThat(open.open()).isTrue();
        assertThat(open.nextClose()).isEqualTo(Instant.parse("2025-03-03T21:00:00Z"));
        assertThat(e.code()).isEqualTo(ErrorCode.MARKET_CLOSED);
        assertThat(e.delivery()).isEqualTo(Delivery.REFUSED);
        assertThat(closed.open()).isFalse();
        assertThat(closed.nextOpen()).isEqualTo(Instant.parse("2025-03-04T14:30:00Z"));
    }

    @Test
    void weekendsAreClosed() {
        clock.advance(Duration.ofDays(5)); // Saturday 10:00
        Broker broker = broker(Fixtures.config().marketHours(MarketHours.US_EQUITIES));

        assertThat(broker.clock().open()).isFalse();
        assertThat(broker.clock().nextOpen()).isEqualTo(Instant.parse("2025-03-10T13:30:00Z")); // after DST starts
    }

    @Test
    void cancelOfAFilledOrderReturnsItFilledAndUnknownIdIsNotFound() {
        Broker broker = broker(Fixtures.config());
        BrokerOrder filled = broker.submit("c1", buy(VTI, "1"));

        BrokerOrder tooLate = broker.cancel(filled.brokerOrderId());
        BrokerException e = failure(() -> broker.cancel("paper-acct-99"));

        assertThat(filled.brokerOrderId()).isEqualTo("paper-acct-1");
        assertThat(tooLate.state()).isEqualTo(OrderState.FILLED);
        assertThat(e.code()).isEqualTo(ErrorCode.ORDER_NOT_FOUND);
        assertThat(e.delivery()).isEqualTo(Delivery.REFUSED);
        assertThat(e.httpStatus()).isEqualTo(404);
    }

    @Test
    void accountsAreSeededWhenFirstSeenAndKeptApart() {
        PaperExchange exchange = Fixtures.exchange(Fixtures.config().build(), clock);
        Broker a = exchange.broker("a");
        Broker b = exchange.broker("b");

        a.submit("same-id", buy(VTI, "4"));
        b.submit("same-id", buy(VTI, "1"));

        assertThat(a.account().cash()).isEqualByComparingTo("9000.00");
        assertThat(b.account().cash()).isEqualByComparingTo("9750.00");
        assertThat(b.positions()).extracting(p -> p.symbol().value()).containsExactly("TLT", "VTI");
        assertThat(exchange.orderLog()).extracting(ExchangeOrderLogEntry::brokerOrderId)
                .containsExactly("paper-a-1", "paper-b-1");
        assertThat(exchange.accountSnapshot("a").equity()).isEqualByComparingTo("10900.00");
    }
}
