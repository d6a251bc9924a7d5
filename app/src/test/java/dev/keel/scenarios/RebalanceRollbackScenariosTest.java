package dev.keel.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.model.OperationParams;
import dev.keel.core.model.OperationState;
import dev.keel.core.model.OperationType;
import dev.keel.core.model.Side;
import dev.keel.core.model.Symbol;
import dev.keel.core.model.TransactionStatus;
import dev.keel.core.ops.OperationOutcome;
import dev.keel.core.rebalance.ProgressListener;
import dev.keel.core.rebalance.RebalanceOutcome;
import dev.keel.paper.BrokerCall;
import dev.keel.paper.ExchangeOrderLogEntry;
import dev.keel.paper.FaultRule;
import dev.keel.paper.RejectReason;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rolling back a PARTIAL rebalance (issue 13): the TLT buy is refused, the VTI sell and three buys filled; the rollback
 * sells what was bought and buys back what was sold, as an operation of its own, and only once.
 */
class RebalanceRollbackScenariosTest {
    @TempDir
    Path dir;

    static Harness partial(Path dir) {
        return new Harness(dir, List.of(FaultRule.reject(RejectReason.SYMBOL_NOT_FOUND).withOp(BrokerCall.SUBMIT)
                .withSymbol(Symbol.of("TLT"))));
    }

    static OperationOutcome rollback(Harness h, String txId) {
        return h.engine().operate(Harness.ACCOUNT, OperationType.REBALANCE_ROLLBACK,
                OperationParams.undoRebalance(txId), txId);
    }

    @Test
    void aPartialRebalanceIsUndoneByCompensatingOrdersSellsFirst() {
        try (Harness h = partial(dir)) {
            RebalanceOutcome rebalance = h.engine().rebalance(Harness.ACCOUNT, null, ProgressListener.NONE);
            assertThat(rebalance.status()).isEqualTo(TransactionStatus.PARTIAL);
            int before = h.exchange.orderLog().size();

            OperationOutcome undo = rollback(h, rebalance.txId());

            assertThat(undo.state()).as(undo.message()).isEqualTo(OperationState.COMPLETED);
            List<ExchangeOrderLogEntry> sent = h.exchange.orderLog().subList(before, h.exchange.orderLog().size());
            assertThat(sent).extracting(o -> o.clientOrderId().substring(undo.txId().length() + 1))
                    .containsExactly("undo-buy-DBC", "undo-buy-GLD", "undo-buy-IEF", "undo-sell-VTI");
            assertThat(sent).extracting(o -> o.spec().side())
                    .containsExactly(Side.SELL, Side.SELL, Side.SELL, Side.BUY);
            var account = h.exchange.accountSnapshot(Harness.ACCOUNT);
            assertThat(account.quantity(Symbol.of("VTI"))).isEqualByComparingTo("50");
            assertThat(account.quantity(Symbol.of("TLT"))).isEqualByComparingTo("10");
            for (String s : List.of("DBC", "GLD", "IEF")) {
                assertThat(account.quantity(Symbol.of(s))).as(s).isZero();
            }
            assertThat(h.journal.transaction(undo.txId()).orElseThrow().operation())
                    .isEqualTo("rebalance_rollback");
        }
    }

    @Test
    void aRebalanceIsRolledBackOnceAndOnlyAPartialOne() {
        try (Harness h = partial(dir)) {
            String partial = h.engine().rebalance(Harness.ACCOUNT, null, ProgressListener.NONE).txId();
            OperationOutcome first = rollback(h, partial);
            assertThat(first.state()).isEqualTo(OperationState.COMPLETED);

            assertThatThrownBy(() -> rollback(h, partial)).isInstanceOf(KeelException.class)
                    .satisfies(e -> assertThat(((KeelException) e).code()).isEqualTo(ErrorCode.REQUEST_REFUSED))
                    .hasMessageContaining("already rolled back by " + first.txId());
            assertThatThrownBy(() -> rollback(h, "no-such-tx")).isInstanceOf(KeelException.class)
                    .satisfies(e -> assertThat(((KeelException) e).code()).isEqualTo(ErrorCode.UNKNOWN_ID));
        }
        try (Harness h = new Harness(dir.resolve("clean"), List.of())) {
            String completed = h.engine().rebalance(Harness.ACCOUNT, null, ProgressListener.NONE).txId();
            assertThatThrownBy(() -> rollback(h, completed)).isInstanceOf(KeelException.class)
                    .hasMessageContaining("only a PARTIAL rebalance");
        }
    }

    /** Two operators (the API twice, or the API and the CLI) roll the same rebalance back at once: one does. */
    @Test
    void twoRollbacksOfOneRebalanceAtOnceSendOneSetOfOrders() throws Exception {
        try (Harness h = partial(dir)) {
            String partial = h.engine().rebalance(Harness.ACCOUNT, null, ProgressListener.NONE).txId();
            int before = h.exchange.orderLog().size();
            var engine = h.engine(java.time.Duration.ofSeconds(30), dev.keel.core.engine.AccountLeases.inProcess());
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<String>> calls = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    Callable<String> call = () -> {
                        go.await();
                        try {
                            return engine.operate(Harness.ACCOUNT, OperationType.REBALANCE_ROLLBACK,
                                    OperationParams.undoRebalance(partial), partial).state().name();
                        } catch (KeelException e) {
                            return e.code().name();
                        }
                    };
                    calls.add(pool.submit(call));
                }
                go.countDown();
                List<String> results = new ArrayList<>();
                for (Future<String> f : calls) {
                    results.add(f.get());
                }
                assertThat(results).containsExactlyInAnyOrder("COMPLETED", "REQUEST_REFUSED");
                assertThat(h.exchange.orderLog().size() - before).isEqualTo(4);
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
