package dev.keel.paper;

import static dev.keel.paper.Fixtures.VTI;
import static dev.keel.paper.Fixtures.buy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.broker.Broker;
import dev.keel.core.broker.BrokerException;
import dev.keel.core.error.ErrorCode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrencyTest {
    @TempDir
    Path dir;

    /**
     * Calls of many threads share commits of the state file, and the commits run outside the exchange's lock: every
     * order a caller was answered for is in the file by then, as another process (or one started after a kill)
     * reads it, while the exchange is still open and other callers are mid-commit. A lookup changes nothing but the
     * counters and is not made to wait for a commit of its own, yet an order it finds is in the file too: it waits
     * for the writes before it that an answer can show.
     */
    @Test
    void everyOrderAnAnswerShowsIsInTheStateFileWhenItsCallerIsAnswered() throws Exception {
        Path file = dir.resolve("paper.db");
        PaperExchange exchange = Fixtures.exchange(Fixtures.config().stateFile(file).build(), Fixtures.clock());
        Set<String> answered = ConcurrentHashMap.newKeySet();
        Set<String> found = ConcurrentHashMap.newKeySet();
        List<Future<?>> done = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8);
             Connection reader = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath())) {
            for (int thread = 0; thread < 4; thread++) {
                String account = "acct-" + thread;
                Broker broker = exchange.broker(account);
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        String id = account + "-c" + i;
                        broker.submit(id, buy(VTI, "0.1"));
                        answered.add(id);
                    }
                    return null;
                }));
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        String id = account + "-c" + i;
                        while (broker.orderByClientId(id).isEmpty()) {
                            Thread.onSpinWait(); // until the submitter beside it has made it
                        }
                        found.add(id);
                    }
                    return null;
                }));
            }
            int checks = 0;
            while (done.stream().anyMatch(f -> !f.isDone()) || checks == 0) {
                Set<String> before = new HashSet<>(answered);
                before.addAll(found);
                assertThat(committedIds(reader)).as("shown by an answer before this read of the file")
                        .containsAll(before);
                checks++;
            }
            for (Future<?> f : done) {
                f.get();
            }
            assertThat(committedIds(reader)).hasSize(100).containsAll(answered).containsAll(found);
        } finally {
            exchange.close();
        }
    }

    private static Set<String> committedIds(Connection reader) throws Exception {
        Set<String> ids = new HashSet<>();
        try (Statement s = reader.createStatement();
             ResultSet rs = s.executeQuery("SELECT client_order_id FROM orders")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

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
