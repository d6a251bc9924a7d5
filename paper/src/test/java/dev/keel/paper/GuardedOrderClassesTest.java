package dev.keel.paper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.broker.Broker;
import dev.keel.core.execution.BrokerGateway;
import dev.keel.core.execution.BrokerResilience;
import dev.keel.core.execution.ResiliencePolicies;
import dev.keel.core.journal.MemoryJournal;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.OrderState;
import dev.keel.core.model.Side;
import dev.keel.core.model.Symbol;
import dev.keel.core.model.TimeInForce;
import dev.keel.core.time.ManualClock;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** OCO and bracket orders reach the exchange through the order-placement guards and a failover connection. */
class GuardedOrderClassesTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-03-02T15:00:00Z"));
    private final Symbol vti = Symbol.of("VTI");

    @Test
    void bracketAndOcoGoThroughTheGatewayAndFailoverToTheExchange() {
        PaperConfig config = PaperConfig.builder().seed(1).startingCash(new BigDecimal("10000.00"))
                .startingPosition(vti, new BigDecimal("10")).price(vti, new BigDecimal("100.00")).build();
        try (PaperExchange exchange = new PaperExchange(config, clock, clock)) {
            Broker primary = exchange.broker("main");
            Broker backup = exchange.endpoint("backup", java.util.List.of()).broker("main");
            BrokerResilience resilience = new BrokerResilience("paper", ResiliencePolicies.defaults(),
                    new MemoryJournal(), null, clock, clock);
            BrokerGateway gateway = resilience.gateway("main", primary, backup, new SplittableRandom(1));

            BrokerOrder entry = gateway.submitBracket("tx-1:entry", OrderSpec.marketQty(vti, Side.BUY,
                    new BigDecimal("5")), new BigDecimal("110.00"), new BigDecimal("90.00"), null);
            BrokerOrder oco = gateway.submitOco("tx-2:exit", OrderSpec.limit(vti, Side.SELL, new BigDecimal("10"),
                    new BigDecimal("120.00"), TimeInForce.GTC), OrderSpec.stop(vti, Side.SELL, new BigDecimal("10"),
                    new BigDecimal("80.00"), TimeInForce.GTC));

            assertThat(entry.state()).isEqualTo(OrderState.FILLED);
            assertThat(gateway.lookup("tx-1:entry" + Broker.TAKE_PROFIT_SUFFIX)).get()
                    .satisfies(tp -> assertThat(tp.filledQuantity()).isZero());
            assertThat(gateway.lookup("tx-1:entry" + Broker.STOP_LOSS_SUFFIX)).isPresent();
            assertThat(oco.clientOrderId()).isEqualTo("tx-2:exit");
            assertThat(gateway.lookup("tx-2:exit" + Broker.STOP_LOSS_SUFFIX)).isPresent();
        }
    }
}
