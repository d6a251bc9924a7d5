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
import dev.keel.core.model.OrderState;
import dev.keel.core.time.ManualClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FaultInjectionTest {
    private final ManualClock clock = Fixtures.clock();

    private Broker brokerWith(FaultRule... rules) {
        return exchangeWith(rules).broker("acct");
    }

    private PaperExchange exchangeWith(FaultRule... rules) {
        return Fixtures.exchange(Fixtures.config().faults(List.of(rules)).build(), clock);
    }

    private static BrokerException failure(Runnable call) {
        return catchThrowableOfType(BrokerException.class, call::run);
    }

    @ParameterizedTest
    @EnumSource(RejectReason.class)
    void rejectRefusesWithTheReasonsCodeAndStatusAndCreatesNothing(RejectReason reason) {
        PaperExchange exchange = exchangeWith(FaultRule.reject(reason));

        BrokerException e = failure(() -> exchange.broker("acct").submit("c1", buy(VTI, "1")));

        assertThat(e.code()).isEqualTo(reason.code());
        assertThat(e.delivery()).isEqualTo(reason == RejectReason.UNAUTHORIZED ? Delivery.NOT_PROCESSED : Delivery.REFUSED);
        assertThat(e.httpStatus()).isEqualTo(switch (reason) {
            case INSUFFICIENT_BUYING_POWER -> 403;
            case UNAUTHORIZED -> 401;
            default -> 422;
        });
        assertThat(e.brokerCode()).isEqualTo(reason.wire());
        assertThat(exchange.orderLog()).isEmpty();
    }

    @Test
    void rateLimitedSaysRetryAfterAndCreatesNothing() {
        PaperExchange exchange = exchangeWith(FaultRule.rateLimited(Duration.ofSeconds(7)));

        BrokerException e = failure(() -> exchange.broker("acct").submit("c1", buy(VTI, "1")));

        assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(e.delivery()).isEqualTo(Delivery.NOT_PROCESSED);
        assertThat(e.httpStatus()).isEqualTo(429);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(exchange.orderLog()).isEmpty();
    }

    @Test
    void serverErrorIsAmbiguousButCreatesNothing() {
        PaperExchange exchange = exchangeWith(FaultRule.serverError(502).withNth(1), FaultRule.serverError());
        Broker broker = exchange.broker("acct");

        BrokerException first = failure(() -> broker.submit("c1", buy(VTI, "1")));
        BrokerException second = failure(() -> broker.submit("c1", buy(VTI, "1")));

        assertThat(first.code()).isEqualTo(ErrorCode.BROKER_SERVER_ERROR);
        assertThat(first.ambiguous()).isTrue();
        assertThat(first.httpStatus()).isEqualTo(502);
        assertThat(second.httpStatus()).isEqualTo(503);
        assertThat(exchange.orderLog()).isEmpty();
    }

    @Test
    void timeoutBeforeAcceptIsAmbiguousButCreatesNothing() {
        PaperExchange exchange = exchangeWith(FaultRule.timeoutBeforeAccept().withTimes(1));
        Broker broker = exchange.broker("acct");

        BrokerException e = failure(() -> broker.submit("c1", buy(VTI, "1")));

        assertThat(e.code()).isEqualTo(ErrorCode.BROKER_TIMEOUT);
        assertThat(e.ambiguous()).isTrue();
        assertThat(broker.orderByClientId("c1")).isEmpty();
        assertThat(broker.submit("c1", buy(VTI, "1")).state()).isEqualTo(OrderState.FILLED);
    }

    @Test
    void timeoutAfterAcceptCreatesOrderButAnswerIsLost() {
        PaperExchange exchange = exchangeWith(FaultRule.timeoutAfterAccept().withOp(BrokerCall.SUBMIT).withTimes(1));
        Broker broker = exchange.broker("acct");

        BrokerException lost = failure(() -> broker.submit("c1", buy(VTI, "2")));
        BrokerException again = failure(() -> broker.submit("c1", buy(VTI, "2")));

        assertThat(lost.code()).isEqualTo(ErrorCode.BROKER_TIMEOUT);
        assertThat(lost.delivery()).isEqualTo(Delivery.AMBIGUOUS);
        assertThat(again.code()).isEqualTo(ErrorCode.DUPLICATE_CLIENT_ORDER_ID);
        assertThat(again.delivery()).isEqualTo(Delivery.REFUSED);
        assertThat(again.httpStatus()).isEqualTo(422);
        assertThat(exchange.orderLog()).singleElement().satisfies(o -> {
            assertThat(o.clientOrderId()).isEqualTo("c1");
            assertThat(o.state()).isEqualTo(OrderState.FILLED);
        });
        assertThat(broker.orderByClientId("c1")).get().extracting(BrokerOrder::state).isEqualTo(OrderState.FILLED);
        assertThat(broker.account().cash()).isEqualByComparingTo("9500.00");
    }

    @Test
    void timeoutAfterAcceptOnCancelStillCancels() {
        PaperExchange exchange = exchangeWith(FaultRule.noFill(), FaultRule.timeoutAfterAccept().withOp(BrokerCall.CANCEL));
        Broker broker = exchange.broker("acct");
        BrokerOrder order = broker.submit("c1", buy(VTI, "1"));

        BrokerException e = failure(() -> broker.cancel(order.brokerOrderId()));

        assertThat(e.code()).isEqualTo(ErrorCode.BROKER_TIMEOUT);
        assertThat(exchange.orderLog().getFirst().state()).isEqualTo(OrderState.CANCELLED);
    }

    @Test
    void connectionResetIsAmbiguousButCreatesNothing() {
        PaperExchange exchange = exchangeWith(FaultRule.connectionReset());

        BrokerException e = failure(() -> exchange.broker("acct").submit("c1", buy(VTI, "1")));

        assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_RESET);
        assertThat(e.ambiguous()).isTrue();
        assertThat(exchange.orderLog()).isEmpty();
    }

    @Test
    void slowSleepsOnTheSleeperThenProceeds() {
        PaperExchange exchange = exchangeWith(FaultRule.slow(Duration.ofSeconds(3)), FaultRule.slow(Duration.ofSeconds(2)));

        BrokerOrder order = exchange.broker("acct").submit("c1", buy(VTI, "1"));

        assertThat(order.state()).isEqualTo(OrderState.FILLED);
        assertThat(order.createdAt()).isEqualTo(Fixtures.MONDAY_10AM_NY.plusSeconds(5));
        assertThat(exchange.faultsFired()).extracting(FaultRecord::kind).containsExactly(FaultKind.SLOW, FaultKind.SLOW);
    }

    @Test
    void partialFillFillsTheFractionAndNeverMore() {
        PaperExchange exchange = exchangeWith(FaultRule.partialFill(dec("0.25")));
        Broker broker = exchange.broker("acct");

        BrokerOrder order = broker.submit("c1", buy(VTI, "10"));
        clock.advance(Duration.ofHours(1));

        assertThat(order.state()).isEqualTo(OrderState.PARTIALLY_FILLED);
        assertThat(order.filledQuantity()).isEqualByComparingTo("2.5");
        assertThat(broker.openOrders()).singleElement().extracting(BrokerOrder::filledQuantity)
                .satisfies(q -> assertThat(q).isEqualByComparingTo("2.5"));
        BrokerOrder cancelled = broker.cancel(order.brokerOrderId());
        assertThat(cancelled.state()).isEqualTo(OrderState.CANCELLED);
        assertThat(cancelled.filledQuantity()).isEqualByComparingTo("2.5");
        assertThat(broker.account().quantity(VTI)).isEqualByComparingTo("2.5");
    }

    @Test
    void noFillLeavesTheOrderAccepted() {
        Broker broker = brokerWith(FaultRule.noFill());

        BrokerOrder order = broker.submit("c1", buy(VTI, "1"));
        clock.advance(Duration.ofDays(3));

        assertThat(order.state()).isEqualTo(OrderState.ACCEPTED);
        assertThat(broker.orderByClientId("c1")).get().extracting(BrokerOrder::state).isEqualTo(OrderState.ACCEPTED);
        assertThat(broker.account().buyingPower()).isEqualByComparingTo("9750.00");
    }

    @Test
    void staleQuoteIsOldAndNoQuoteIsMissing() {
        Broker broker = brokerWith(FaultRule.staleQuote(Duration.ofMinutes(5)).withNth(1), FaultRule.noQuote().withNth(2));

        assertThat(broker.quote(VTI).at()).isEqualTo(Fixtures.MONDAY_10AM_NY.minus(Duration.ofMinutes(5)));
        BrokerException e = failure(() -> broker.quote(VTI));
        assertThat(e.code()).isEqualTo(ErrorCode.QUOTE_MISSING);
        assertThat(broker.quote(VTI).at()).isEqualTo(Fixtures.MONDAY_10AM_NY);
    }

    @Test
    void nthFiresOnlyOnTheNthMatchingCall() {
        PaperExchange exchange = exchangeWith(FaultRule.connectionReset().withOp(BrokerCall.SUBMIT).withSymbol(VTI).withNth(2));
        Broker broker = exchange.broker("acct");

        broker.submit("a", buy(VTI, "1"));
        broker.submit("b", buy(TLT, "1")); // another symbol: not a matching call
        BrokerException e = failure(() -> broker.submit("c", buy(VTI, "1")));
        broker.submit("d", buy(VTI, "1"));

        assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_RESET);
        assertThat(exchange.orderLog()).extracting(ExchangeOrderLogEntry::clientOrderId).containsExactly("a", "b", "d");
        assertThat(exchange.faultsFired()).singleElement().satisfies(f -> {
            assertThat(f.callNumber()).isEqualTo(3);
            assertThat(f.op()).isEqualTo(BrokerCall.SUBMIT);
            assertThat(f.symbol()).isEqualTo(VTI);
            assertThat(f.ruleIndex()).isZero();
        });
    }

    @Test
    void timesCapsHowOftenARuleFires() {
        PaperExchange exchange = exchangeWith(FaultRule.rateLimited(Duration.ofSeconds(1)).withTimes(2));
        Broker broker = exchange.broker("acct");

        assertThat(failure(broker::account)).isNotNull();
        assertThat(failure(broker::positions)).isNotNull();
        assertThat(broker.account().cash()).isEqualByComparingTo("10000");
        assertThat(exchange.faultsFired()).hasSize(2);
    }

    @Test
    void probabilityIsDrawnFromTheSeed() {
        int first = countFailures(42);
        int again = countFailures(42);

        assertThat(first).isEqualTo(again).isBetween(20, 80);
        assertThat(countFailures(43)).isNotEqualTo(first);
    }

    private int countFailures(long seed) {
        PaperConfig config = Fixtures.config().seed(seed).fault(FaultRule.serverError().withProbability(0.5)).build();
        Broker broker = Fixtures.exchange(config, Fixtures.clock()).broker("acct");
        int failures = 0;
        for (int i = 0; i < 100; i++) {
            try {
                broker.clock();
            } catch (BrokerException e) {
                failures++;
            }
        }
        return failures;
    }

    @Test
    void opSelectsOnlyThatOperation() {
        PaperExchange exchange = exchangeWith(FaultRule.reject(RejectReason.UNAUTHORIZED).withOp(BrokerCall.LOOKUP));
        Broker broker = exchange.broker("acct");

        broker.submit("c1", buy(VTI, "1"));
        BrokerException e = failure(() -> broker.orderByClientId("c1"));

        assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
        assertThat(e.delivery()).isEqualTo(Delivery.NOT_PROCESSED);
        assertThat(e.httpStatus()).isEqualTo(401);
        assertThat(exchange.callCounts()).containsEntry("submit", 1).containsEntry("lookup", 1);
    }

    @Test
    void symbolSelectsCancelAndLookupThroughTheOrder() {
        PaperExchange exchange = exchangeWith(FaultRule.noFill(), FaultRule.connectionReset().withOp(BrokerCall.CANCEL)
                .withSymbol(TLT));
        Broker broker = exchange.broker("acct");
        BrokerOrder vti = broker.submit("v", buy(VTI, "1"));
        BrokerOrder tlt = broker.submit("t", buy(TLT, "1"));

        assertThat(broker.cancel(vti.brokerOrderId()).state()).isEqualTo(OrderState.CANCELLED);
        assertThat(failure(() -> broker.cancel(tlt.brokerOrderId())).code()).isEqualTo(ErrorCode.CONNECTION_RESET);
    }
}
