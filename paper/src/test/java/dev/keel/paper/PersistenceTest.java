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
import dev.keel.core.error.ErrorCode;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.OrderClass;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.OrderState;
import dev.keel.core.model.Side;
import dev.keel.core.model.TimeInForce;
import dev.keel.core.time.ManualClock;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PersistenceTest {
    private static final int STEPS = 60;

    @TempDir
    Path dir;

    /** Random walk, delayed fills, probabilistic faults on several ops: everything that draws or waits. */
    private static PaperConfig.Builder busyConfig() {
        return Fixtures.config()
                .randomWalk(dec("0.004"), Duration.ofSeconds(20))
                .spreadBps(dec("4"))
                .fillMode(TLT, FillMode.delayed(Duration.ofSeconds(45)))
                .fault(FaultRule.timeoutAfterAccept().withProbability(0.15))
                .fault(FaultRule.partialFill(dec("0.5")).withProbability(0.2))
                .fault(FaultRule.connectionReset().withOp(BrokerCall.LOOKUP).withProbability(0.1))
                .fault(FaultRule.slow(Duration.ofSeconds(3)).withNth(7));
    }

    /** One step of a trading script; the same steps against any exchange make the same calls. */
    private static void step(Broker broker, ManualClock clock, int i, List<String> answers) {
        clock.advance(Duration.ofSeconds(17));
        String id = "op-" + i;
        OrderSpec spec = switch (i % 5) {
            case 0 -> buy(VTI, "1.5");
            case 1 -> OrderSpec.limit(TLT, Side.BUY, dec("2"), dec("90.05"), TimeInForce.DAY);
            case 2 -> sell(TLT, "1");
            case 3 -> OrderSpec.marketNotional(VTI, Side.BUY, dec("333.33"));
            default -> OrderSpec.limit(VTI, Side.SELL, dec("1"), dec("250.50"), TimeInForce.GTC);
        };
        answers.add(attempt(() -> broker.submit(id, spec).state().name()));
        answers.add(attempt(() -> broker.orderByClientId("op-" + (i / 2)).map(o -> o.state().name()).orElse("none")));
        if (i % 9 == 2) {
            answers.add(attempt(() -> broker.submitBracket("br-" + i, buy(VTI, "1"), dec("253"), dec("247"),
                    i % 2 == 0 ? null : dec("246.5")).state().name()));
        }
        if (i % 13 == 5) {
            answers.add(attempt(() -> broker.submitOco("oco-" + i,
                    OrderSpec.limit(TLT, Side.SELL, dec("1"), dec("90.5"), TimeInForce.GTC),
                    OrderSpec.stopLimit(TLT, Side.SELL, dec("1"), dec("89.5"), dec("89.2"), TimeInForce.GTC))
                    .state().name()));
        }
        if (i % 7 == 3) {
            answers.add(attempt(() -> broker.openOrders().stream()
                    .map(o -> broker.cancel(o.brokerOrderId()).state().name()).toList().toString()));
        }
    }

    private static String attempt(java.util.function.Supplier<String> call) {
        try {
            return call.get();
        } catch (BrokerException e) {
            return e.code().name();
        }
    }

    private record Run(List<ExchangeOrderLogEntry> log, List<String> answers, AccountSnapshot account,
                       Map<String, Integer> counts, List<FaultRecord> faults, BigDecimal price) {
    }

    private Run run(Path file, int reopenAt) {
        ManualClock clock = Fixtures.clock();
        PaperConfig config = busyConfig().stateFile(file).build();
        List<String> answers = new ArrayList<>();
        PaperExchange exchange = Fixtures.exchange(config, clock);
        for (int i = 0; i < STEPS; i++) {
            if (i == reopenAt) {
                exchange.close();
                exchange = Fixtures.exchange(config, clock);
            }
            step(exchange.broker("acct"), clock, i, answers);
        }
        Run run = new Run(exchange.orderLog(), answers, exchange.accountSnapshot("acct"), exchange.callCounts(),
                exchange.faultsFired(), exchange.price(VTI));
        exchange.close();
        return run;
    }

    @Test
    void aReopenInTheMiddleChangesNothing() {
        Run straight = run(dir.resolve("straight.db"), -1);
        Run reopened = run(dir.resolve("reopened.db"), STEPS / 2);

        assertThat(straight.log()).isNotEmpty();
        assertThat(straight.faults()).isNotEmpty();
        assertThat(straight.log()).anyMatch(e -> e.orderClass() == OrderClass.BRACKET && !e.legOrderIds().isEmpty())
                .anyMatch(e -> e.orderClass() == OrderClass.OCO && e.twinOrderId() != null);
        assertThat(reopened).isEqualTo(straight);
    }

    @Test
    void sameSeedGivesTheSameOrderLogAndAnotherSeedAnother() {
        Run first = run(null, -1);
        Run second = run(null, -1);
        ManualClock clock = Fixtures.clock();
        PaperExchange other = Fixtures.exchange(busyConfig().seed(7).build(), clock);
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < STEPS; i++) {
            step(other.broker("acct"), clock, i, answers);
        }

        assertThat(second.log()).isEqualTo(first.log());
        assertThat(second.answers()).isEqualTo(first.answers());
        assertThat(other.orderLog()).isNotEqualTo(first.log());
    }

    @Test
    void stateReadBackEqualsTheStateWritten() {
        ManualClock clock = Fixtures.clock();
        PaperConfig config = Fixtures.config().stateFile(dir.resolve("paper.db"))
                .fault(FaultRule.noFill().withNth(2)).build();
        PaperExchange exchange = Fixtures.exchange(config, clock);
        Broker broker = exchange.broker("acct");
        broker.submit("a", buy(VTI, "3"));
        broker.submit("b", buy(VTI, "1")); // stays open: no-fill
        broker.submit("c", OrderSpec.marketNotional(TLT, Side.SELL, dec("100")));
        exchange.setPrice(VTI, dec("251.5"));
        var log = exchange.orderLog();
        var account = exchange.accountSnapshot("acct");
        var counts = exchange.callCounts();
        // as if the process were killed here: nothing more is written, and the state lock is released, as the OS
        // does for a killed owner (a second owner would be refused)
        exchange.killed();
        PaperExchange reopened = Fixtures.exchange(config, clock);

        assertThat(reopened.orderLog()).isEqualTo(log);
        assertThat(reopened.accountSnapshot("acct")).isEqualTo(account);
        assertThat(reopened.callCounts()).isEqualTo(counts);
        assertThat(reopened.faultsFired()).isEqualTo(exchange.faultsFired());
        assertThat(reopened.price(VTI)).isEqualByComparingTo("251.5");
        Broker again = reopened.broker("acct");
        assertThat(again.openOrders()).singleElement().extracting(o -> o.clientOrderId()).isEqualTo("b");
        assertThat(again.submit("d", buy(VTI, "1")).brokerOrderId()).isEqualTo("paper-acct-4");
        exchange.close();
        reopened.close();
    }

    @Test
    void restingStopsOcoLinksAndBracketsComeBackExactly() {
        ManualClock clock = Fixtures.clock();
        PaperConfig config = Fixtures.config().stateFile(dir.resolve("classes.db")).build();
        PaperExchange exchange = Fixtures.exchange(config, clock);
        Broker broker = exchange.broker("acct");
        broker.submit("stop", OrderSpec.stop(TLT, Side.SELL, dec("2"), dec("80"), TimeInForce.GTC));
        broker.submit("stop-limit", OrderSpec.stopLimit(VTI, Side.BUY, dec("1"), dec("252"), dec("251"),
                TimeInForce.DAY));
        exchange.setPrice(VTI, dec("253")); // triggers the stop-limit, which rests as a limit at 251
        broker.submitOco("oco", OrderSpec.limit(TLT, Side.SELL, dec("3"), dec("95"), TimeInForce.GTC),
                OrderSpec.stopLimit(TLT, Side.SELL, dec("3"), dec("85"), dec("84"), TimeInForce.GTC));
        broker.submitBracket("waiting", OrderSpec.limit(VTI, Side.BUY, dec("2"), dec("200"), TimeInForce.GTC),
                dec("270"), dec("230"), dec("229"));
        broker.submitBracket("open", buy(VTI, "4"), dec("270"), dec("240"), null);
        var log = exchange.orderLog();
        // as if the process were killed here: nothing more is written, and the state lock is released, as the OS
        // does for a killed owner (a second owner would be refused)
        exchange.killed();
        PaperExchange reopened = Fixtures.exchange(config, clock);

        assertThat(reopened.orderLog()).isEqualTo(log);
        Broker again = reopened.broker("acct");
        assertThat(again.openOrders()).hasSize(7);
        reopened.setPrice(TLT, dec("95.5"));
        reopened.setPrice(VTI, dec("239"));
        assertThat(again.orderByClientId("oco:sl").orElseThrow().state()).isEqualTo(OrderState.CANCELLED);
        assertThat(again.orderByClientId("open:sl").orElseThrow().state()).isEqualTo(OrderState.FILLED);
        assertThat(again.orderByClientId("open:tp").orElseThrow().state()).isEqualTo(OrderState.CANCELLED);
        assertThat(again.orderByClientId("stop-limit").orElseThrow().state()).isEqualTo(OrderState.FILLED);
        assertThat(again.orderByClientId("stop").orElseThrow().state()).isEqualTo(OrderState.ACCEPTED);
        assertThat(catchThrowableOfType(BrokerException.class, () -> again.submit("waiting:sl", buy(VTI, "1"))).code())
                .isEqualTo(ErrorCode.DUPLICATE_CLIENT_ORDER_ID);
        exchange.close();
        reopened.close();
    }

    @Test
    void startingCashAppliesOnlyToAccountsNotInTheFile() {
        ManualClock clock = Fixtures.clock();
        Path file = dir.resolve("accounts.db");
        PaperExchange first = Fixtures.exchange(Fixtures.config().stateFile(file).build(), clock);
        first.broker("old").submit("x", buy(VTI, "4"));
        first.close();

        PaperExchange second = Fixtures.exchange(Fixtures.config().stateFile(file).startingCash(dec("500")).build(), clock);

        assertThat(second.broker("old").account().cash()).isEqualByComparingTo("9000.00");
        assertThat(second.broker("new").account().cash()).isEqualByComparingTo("500.00");
        second.close();
    }
}
