package dev.keel.paper;

import static dev.keel.paper.Fixtures.VTI;
import static dev.keel.paper.Fixtures.buy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.keel.core.broker.Broker;
import dev.keel.core.broker.BrokerException;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.time.ManualClock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointTest {
    private final ManualClock clock = Fixtures.clock();
    private final PaperExchange exchange = Fixtures.exchange(Fixtures.config()
            .faults(List.of(FaultRule.serverError().withProbability(1.0))).build(), clock);

    @Test
    void aBackupEndpointReachesTheSameAccountWithoutTheExchangesFaults() {
        PaperEndpoint backup = exchange.endpoint("backup", List.of());
        Broker primary = exchange.broker("acct");

        BrokerOrder placed = backup.broker("acct").submit("c1", buy(VTI, "1"));

        assertThat(catchThrowableOfType(BrokerException.class, () -> primary.orderByClientId("c1")).code())
                .isEqualTo(ErrorCode.BROKER_SERVER_ERROR);
        assertThat(backup.broker("acct").orderByClientId("c1")).get().extracting(BrokerOrder::brokerOrderId)
                .isEqualTo(placed.brokerOrderId());
        assertThat(exchange.orderLog()).singleElement().extracting(ExchangeOrderLogEntry::clientOrderId)
                .isEqualTo("c1");
        assertThat(exchange.accountSnapshot("acct").positions()).isNotEmpty();
    }

    @Test
    void anEndpointHasItsOwnFaultPlanAndCounts() {
        PaperEndpoint backup = exchange.endpoint("backup",
                List.of(FaultRule.connectionReset().withOp(BrokerCall.CLOCK).withNth(2)));
        Broker broker = backup.broker("acct");

        broker.clock();
        BrokerException reset = catchThrowableOfType(BrokerException.class, broker::clock);
        broker.clock();

        assertThat(reset.code()).isEqualTo(ErrorCode.CONNECTION_RESET);
        assertThat(backup.faultsFired()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(FaultKind.CONNECTION_RESET);
            assertThat(f.ruleIndex()).isZero();
        });
        assertThat(backup.callCounts()).isEqualTo(Map.of("clock", 3));
        assertThat(exchange.callCounts()).as("the exchange counts every call it received").isEqualTo(Map.of("clock", 3));
        assertThat(exchange.faultsFired()).isEmpty();
    }
}
