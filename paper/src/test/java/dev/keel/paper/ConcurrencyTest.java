package dev.keel.paper;

import static dev.keel.paper.Fixtures.VTI;
import static dev.keel.paper.Fixtures.buy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.broker.Broker;
import dev.keel.core.broker.BrokerException;
import dev.keel.core.error.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {
    @Test
    void racingSubmitsOfTheSameClientOrderIdsCreateOneOrderEach() throws Exception {
        PaperExchange exchange = Fixtures.exchange(Fixtures.config().build(), Fixtures.clock());
        Broker broker = exchange.broker("acct");
        AtomicInteger duplicates = new AtomicInteger();
        List<Future<?>> done = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            for (int thread = 0; thread < 4; thread++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        try {
                            broker.submit("c" + i, buy(VTI, "0.1"));
                        } catch (BrokerException e) {
                            assertThat(e.code()).isEqualTo(ErrorCode.DUPLICATE_CLIENT_ORDER_ID);
                            duplicates.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }

        assertThat(exchange.orderLog()).hasSize(25);
        assertThat(duplicates).hasValue(75);
        assertThat(broker.account().quantity(VTI)).isEqualByComparingTo("2.5");
    }
}
