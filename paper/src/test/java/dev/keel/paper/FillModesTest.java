package dev.keel.paper;

import static dev.keel.paper.Fixtures.TLT;
import static dev.keel.paper.Fixtures.VTI;
import static dev.keel.paper.Fixtures.buy;
import static dev.keel.paper.Fixtures.dec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.broker.Broker;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.OrderState;
import dev.keel.core.model.Side;
import dev.keel.core.model.TimeInForce;
import dev.keel.core.time.ManualClock;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FillModesTest {
    private final ManualClock clock = Fixtures.clock();

    private PaperExchange exchange(PaperConfig.Builder config) {
        return Fixtures.exchange(config.build(), clock);
    }

    private static OrderSpec limitBuy(String quantity, String limit, TimeInForce tif) {
        return OrderSpec.limit(VTI, Side.BUY, dec(quantity), dec(limit), tif);
    }

    @Test
    void delayedFillHappensWhenTheDelayHasPassed() {
        PaperExchange exchange = exchange(Fixtures.config().fillMode(FillMode.delayed(Duration.ofSeconds(30))));
        Broker broker = exchange.broker("acct");

        BrokerOrder accepted = broker.submit("c1", buy(VTI, "2"));
        clock.advance(Duration.ofSeconds(29));
        BrokerOrder before = broker.orderByClientId("c1").orElseThrow();
        clock.advance(Duration.ofSeconds(5));
        BrokerOrder after = broker.orderByClientId("c1").orElseThrow();

        assertThat(accepted.state()).isEqualTo(OrderState.ACCEPTED);
        assertThat(before.state()).isEqualTo(OrderState.ACCEPTED);
        assertThat(after.state()).isEqualTo(OrderState.FILLED);
        assertThat(exchange.orderLog().getFirst().fills()).singleElement()
                .extracting(ExchangeOrderLogEntry.Fill::at).isEqualTo(Fixtures.MONDAY_10AM_NY.plusSeconds(30));
    }

    @Test
    void partialFillModeAppliesPerSymbol() {
        Broker broker = exchange(Fixtures.config().fillMode(TLT, FillMode.partial(dec("0.5")))).broker("acct");

        BrokerOrder tlt = broker.submit("t", buy(TLT, "4"));
        BrokerOrder vti = broker.submit("v", buy(VTI, "4"));

        assertThat(tlt.state()).isEqualTo(OrderState.PARTIALLY_FILLED);
        assertThat(tlt.filledQuantity()).isEqualByComparingTo("2");
        assertThat(vti.state()).isEqualTo(OrderState.FILLED);
    }

    @Test
    void limitOrderRestsThenFillsWhenSetPriceMakesItMarketable() {
        PaperExchange exchange = exchange(Fixtures.config());
        Broker broker = exchange.broker("acct");

        BrokerOrder resting = broker.submit("l", limitBuy("4", "240", TimeInForce.GTC));
        exchange.setPrice(VTI, dec("239"));

        assertThat(resting.state()).isEqualTo(OrderState.ACCEPTED);
        BrokerOrder filled = broker.orderByClientId("l").orElseThrow();
        assertThat(filled.state()).isEqualTo(OrderState.FILLED);
        assertThat(filled.filledAvgPrice()).isEqualByComparingTo("239");
        assertThat(broker.account().cash()).isEqualByComparingTo("9044.00");
    }

    @Test
    void limitOrderRestsThenFillsOnARandomWalkStep() {
        PaperExchange exchange = exchange(Fixtures.config().randomWalk(dec("0.01"), Duration.ofMinutes(1)));
        Broker broker = exchange.broker("acct");
        broker.submit("l", limitBuy("1", "248", TimeInForce.GTC));

        int minutes = 0;
        while (broker.openOrders().size() == 1 && minutes < 10_000) {
            clock.advance(Duration.ofMinutes(1));
            minutes++;
        }

        ExchangeOrderLogEntry entry = exchange.orderLog().getFirst();
        assertThat(minutes).isGreaterThan(0);
        assertThat(entry.state()).isEqualTo(OrderState.FILLED);
        assertThat(entry.filledAvgPrice()).isLessThanOrEqualTo(new BigDecimal("248"));
        assertThat(entry.fills().getFirst().at()).isEqualTo(Fixtures.MONDAY_10AM_NY.plus(Duration.ofMinutes(minutes)));
    }

    @Test
    void iocLimitThatIsNotMarketableIsCancelled() {
        Broker broker = exchange(Fixtures.config()).broker("acct");

        assertThat(broker.submit("ioc", limitBuy("1", "200", TimeInForce.IOC)).state()).isEqualTo(OrderState.CANCELLED);
        assertThat(broker.openOrders()).isEmpty();
    }

    @Test
    void dayOrdersExpireAtTheCloseUnderUsEquities() {
        PaperExchange exchange = exchange(Fixtures.config().marketHours(MarketHours.US_EQUITIES));
        Broker broker = exchange.broker("acct");
        broker.submit("day", limitBuy("1", "200", TimeInForce.DAY));
        broker.submit("gtc", limitBuy("1", "200", TimeInForce.GTC));

        clock.advance(Duration.ofHours(7));

        assertThat(exchange.orderLog()).extracting(ExchangeOrderLogEntry::state)
                .containsExactly(OrderState.EXPIRED, OrderState.ACCEPTED);
        assertThat(exchange.orderLog().getFirst().updatedAt()).isEqualTo(java.time.Instant.parse("2025-03-03T21:00:00Z"));
        assertThat(broker.account().buyingPower()).isEqualByComparingTo("9800.00");
    }

    @Test
    void delayedOrderDueAfterTheCloseFillsAtTheNextOpen() {
        clock.advance(Duration.ofMinutes(359)); // 15:59 New York, a minute before the close
        PaperExchange exchange = exchange(Fixtures.config().marketHours(MarketHours.US_EQUITIES)
                .fillMode(FillMode.delayed(Duration.ofMinutes(5))));
        Broker broker = exchange.broker("acct");
        broker.submit("gtc", limitBuy("1", "260", TimeInForce.GTC));

        clock.advance(Duration.ofDays(1));

        ExchangeOrderLogEntry entry = exchange.orderLog().getFirst();
        assertThat(entry.state()).isEqualTo(OrderState.FILLED);
        assertThat(entry.fills().getFirst().at()).isEqualTo(java.time.Instant.parse("2025-03-04T14:30:00Z"));
    }

    @Test
    void lookupVisibilityLagHidesYoungOrders() {
        PaperExchange exchange = exchange(Fixtures.config().lookupVisibilityLag(Duration.ofSeconds(2)));
        Broker broker = exchange.broker("acct");

        broker.submit("c1", buy(VTI, "1"));
        boolean visibleAtOnce = broker.orderByClientId("c1").isPresent();
        clock.advance(Duration.ofSeconds(2));

        assertThat(visibleAtOnce).isFalse();
        assertThat(broker.orderByClientId("c1")).isPresent();
        assertThat(exchange.orderLog()).hasSize(1);
    }

    @Test
    void aBuyWhosePriceRosePastTheCashFillsWhatTheCashCovers() {
        PaperExchange exchange = exchange(Fixtures.config().fillMode(FillMode.delayed(Duration.ofSeconds(10))));
        Broker broker = exchange.broker("acct");
        broker.submit("all-in", buy(VTI, "40")); // exactly 10,000 at 250

        exchange.setPrice(VTI, dec("400"));
        clock.advance(Duration.ofSeconds(10));

        ExchangeOrderLogEntry entry = exchange.orderLog().getFirst();
        assertThat(entry.state()).isEqualTo(OrderState.CANCELLED);
        assertThat(entry.filledQuantity()).isEqualByComparingTo("25");
        assertThat(broker.account().cash()).isEqualByComparingTo("0.00");
    }
}
