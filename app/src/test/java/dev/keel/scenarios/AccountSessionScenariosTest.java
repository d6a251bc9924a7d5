package dev.keel.scenarios;

import static dev.keel.scenarios.Harness.ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.core.broker.Broker;
import dev.keel.core.broker.ForwardingBroker;
import dev.keel.core.engine.AccountLeases;
import dev.keel.core.engine.Engine;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.journal.AccountEvent;
import dev.keel.core.journal.BuysSized;
import dev.keel.core.journal.ForwardingJournal;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.NotificationQueued;
import dev.keel.core.journal.OrderFailed;
import dev.keel.core.journal.OrderIntentRecorded;
import dev.keel.core.journal.OrderUpdated;
import dev.keel.core.journal.StreamPosition;
import dev.keel.core.journal.TradingStateChanged;
import dev.keel.core.journal.TransactionEnded;
import dev.keel.core.journal.TransactionResumed;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.MarketClock;
import dev.keel.core.model.OperationParams;
import dev.keel.core.model.OperationState;
import dev.keel.core.model.OperationType;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.OrderState;
import dev.keel.core.model.TradingState;
import dev.keel.core.model.TransactionStatus;
import dev.keel.core.ops.OperationOutcome;
import dev.keel.core.rebalance.ProgressListener;
import dev.keel.core.rebalance.RebalanceOutcome;
import dev.keel.core.time.Sleeper;
import dev.keel.core.time.WaitInterrupted;
import dev.keel.paper.BrokerCall;
import dev.keel.paper.FaultRule;
import dev.keel.paper.RejectReason;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two callers meeting on one account, and the ends that used to leave no trace: the account session's findings (issue
 * 10, findings 1-6, 10 and 13), each a scenario over the real engine, a SQLite journal and the paper exchange.
 * Threads meet at latches, never at sleeps: a holder is stopped inside a broker call while it holds the lease.
 */
class AccountSessionScenariosTest {
    /** Long enough never to run out while a test's latches are released; the waits end on the latches. */
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /**
     * Finding 1. A transaction is left in progress by a crash; recovery (the holder) resumes it while a rebalance (the
     * waiter) waits for the lease. The waiter used to fold the transaction before the lease, then resume it a second
     * time on that stale fold: a second TransactionResumed, BuysSized and TransactionEnded.
     */
    @Test
    void aCallerThatWaitedForTheLeaseReadsTheTransactionAgainAndDoesNotResumeItTwice() throws Exception {
        try (Harness h = new Harness(dir, List.of())) {
            h.brokerDecorator = b -> new CrashingBroker(b, 1);
            assertThatThrownBy(() -> h.engine().rebalance(ACCOUNT, null, ProgressListener.NONE))
                    .isInstanceOf(CrashingBroker.Crash.class);
            assertThat(h.journal.transaction("tx-1")).get().extracting(s -> s.status())
                    .isEqualTo(TransactionStatus.IN_PROGRESS);

            Meeting meeting = new Meeting("account", "lookup", "open", "submit");
            h.brokerDecorator = meeting::pausing;
            Engine engine = h.engine(WAIT, meeting.leases(AccountLeases.inProcess()));
            CompletableFuture<?> holder = meeting.holder(engine::recover);
            CompletableFuture<RebalanceOutcome> waiter = meeting.waiter(
                    () -> engine.rebalance(ACCOUNT, null, ProgressListener.NONE));
            meeting.releaseHolder();
            holder.get(60, TimeUnit.SECONDS);
            RebalanceOutcome second = waiter.get(60, TimeUnit.SECONDS);

            assertThat(count(h, "tx-1", TransactionResumed.class)).isEqualTo(1);
            assertThat(count(h, "tx-1", BuysSized.class)).isEqualTo(1);
            assertThat(count(h, "tx-1", TransactionEnded.class)).isEqualTo(1);
            assertThat(notices(h, "tx-1")).isLessThanOrEqualTo(1);
            assertThat(second.txId()).isNotEqualTo("tx-1");
            assertThat(h.exchange.orderLog()).allSatisfy(o -> assertThat(h.exchangeOrdersFor(o.clientOrderId()))
                    .as(o.clientOrderId()).isEqualTo(1));
        }
    }

    /**
     * Finding 2. A rebalance holds the account (stopped in a broker call); a second one cannot get the lease. It used
     * to throw ACCOUNT_LOCKED out of the engine (it met the first one's open transaction while recovering), with no
     * record and no notification; now it is journaled ABORTED and notified, and the first one is untouched.
     */
    @Test
    void aRebalanceThatCannotGetTheLeaseIsJournaledAbortedAndNotified() throws Exception {
        try (Harness h = new Harness(dir, List.of())) {
            Meeting meeting = new Meeting("submit"); // its transaction has started: it is open in the journal
            h.brokerDecorator = meeting::pausing;
            Engine engine = h.engine(Duration.ZERO, AccountLeases.inProcess());
            CompletableFuture<RebalanceOutcome> holder = meeting.holder(
                    () -> engine.rebalance(ACCOUNT, null, ProgressListener.NONE));

            RebalanceOutcome refused = engine.rebalance(ACCOUNT, null, ProgressListener.NONE);
            OperationOutcome refusedOperation = engine.operate(ACCOUNT, OperationType.BULK_CANCEL,
                    OperationParams.cancelAll(null), null);
            meeting.releaseHolder();
            RebalanceOutcome first = holder.get(60, TimeUnit.SECONDS);

            assertThat(refused.status()).isEqualTo(TransactionStatus.ABORTED);
            assertThat(refused.errorCode()).isEqualTo(ErrorCode.ACCOUNT_LOCKED);
            assertThat(h.eventKinds(refused.txId())).containsExactly("TransactionStarted", "TransactionEnded", "OrdersWorking");
            assertThat(notices(h, refused.txId())).isEqualTo(1);
            assertThat(notices(h, refusedOperation.txId())).isEqualTo(1);
            assertThat(refusedOperation.state()).isEqualTo(OperationState.FAILED);
            assertThat(refusedOperation.code()).isEqualTo(ErrorCode.ACCOUNT_LOCKED);
            assertThat(h.ended(refusedOperation.txId()).status()).isEqualTo(TransactionStatus.FAILED);
            assertThat(first.status()).isEqualTo(TransactionStatus.COMPLETED);
            assertThat(count(h, first.txId(), TransactionEnded.class)).isEqualTo(1);
            assertThat(h.notified).extracting(n -> n.title()).contains("Rebalance ABORTED for account main");
        }
    }

    /**
     * Finding 3. The engine decides to lift its own REDUCING (the breaker is closed, the broker answered) and an
     * operator halts the account between that decision and its append. The engine's REDUCING -> ACTIVE used to land
     * after the halt and undo it; now the ending is a conditional append on the account's stream, decided again on
     * the halt, and the account stays HALTED.
     */
    @Test
    void anOperatorsHaltThatLandsBetweenTheEnginesDecisionAndItsAppendIsNotUndone() {
        try (Harness h = new Harness(dir, List.of())) {
            h.journal.append(new TradingStateChanged(ACCOUNT, TradingState.ACTIVE, TradingState.REDUCING,
                    "set by the test", ErrorCode.BROKER_UNAVAILABLE, TradingState.Actor.ENGINE, null, null,
                    h.clock.instant()));
            Engine[] engine = new Engine[1];
            h.journal = new ForwardingJournal(h.journal) {
                private boolean halted;

                @Override
                public List<JournalRecord> appendAll(List<? extends JournalEvent> events,
                                                     List<StreamPosition> expected,
                                                     dev.keel.core.journal.Fence fence) {
                    if (!halted && events.stream().anyMatch(TransactionEnded.class::isInstance)) {
                        halted = true; // the operator, from another terminal, between the decision and the append
                        engine[0].halt(ACCOUNT, "halted from another terminal");
                    }
                    return super.appendAll(events, expected, fence);
                }
            };
            engine[0] = h.engine();

            RebalanceOutcome outcome = engine[0].rebalance(ACCOUNT, null, ProgressListener.NONE);

            assertThat(outcome.status()).isEqualTo(TransactionStatus.PARTIAL);
            assertThat(engine[0].status(ACCOUNT).state()).isEqualTo(TradingState.HALTED);
            assertThat(h.journal.stream(AccountEvent.streamOf(ACCOUNT))).extracting(JournalRecord::event)
                    .filteredOn(TradingStateChanged.class::isInstance).map(TradingStateChanged.class::cast)
                    .extracting(c -> c.from() + "->" + c.to() + " " + c.actor())
                    .containsExactly("ACTIVE->REDUCING ENGINE", "REDUCING->HALTED OPERATOR");
            assertThat(count(h, outcome.txId(), TransactionEnded.class)).isEqualTo(1);
        }
    }

    /**
     * Law 9 after the rate limiter's wait. A rebalance's submit waits for a permit of the broker's rate limit, and the
     * operator halts the account during that wait. The trading state used to be read before the wait, so the order
     * still went out; now it is read again after every wait, right before the wire, and nothing more is sent.
     */
    @Test
    void aHaltJournaledWhileASubmitWaitsForARateLimitPermitStopsThatSubmit() {
        try (Harness h = new Harness(dir, List.of())) {
            h.resilience = dev.keel.core.execution.ResiliencePolicies.builder()
                    .rateLimit(dev.keel.core.execution.RateLimitPolicy.builder().calls(3).per(Duration.ofMinutes(1))
                            .maxWait(Duration.ofMinutes(5)).build())
                    .budget(null).build();
            Engine[] engine = new Engine[1];
            int[] sentBeforeHalt = {-1};
            h.sleeper = d -> {
                if (sentBeforeHalt[0] < 0 && waitingToSubmit()) { // the operator halts from another terminal
                    sentBeforeHalt[0] = h.exchange.orderLog().size();
                    engine[0].halt(ACCOUNT, "halted while a submit waited for the rate limit");
                }
                h.clock.sleep(d);
            };
            engine[0] = h.engine();

            RebalanceOutcome outcome = engine[0].rebalance(ACCOUNT, null, ProgressListener.NONE);

            assertThat(sentBeforeHalt[0]).as("a submit waited for a permit").isGreaterThanOrEqualTo(0);
            assertThat(h.exchange.orderLog()).as("nothing reached the exchange after the halt")
                    .hasSize(sentBeforeHalt[0]);
            assertThat(h.events(outcome.txId())).filteredOn(OrderFailed.class::isInstance)
                    .map(OrderFailed.class::cast).extracting(OrderFailed::code).contains(ErrorCode.ACCOUNT_HALTED);
            assertThat(engine[0].status(ACCOUNT).state()).isEqualTo(TradingState.HALTED);
        }
    }

    /** Whether this thread waits inside a submit: between the executor's decision to send and the wire. */
    private static boolean waitingToSubmit() {
        return StackWalker.getInstance().walk(frames -> frames.anyMatch(f -> f.getMethodName().equals("submitOnce")));
    }

    /**
     * Finding 4. A bug before the transaction's start record (the broker adapter throws an unexpected exception while
     * the market clock is read) used to return NEEDS_REVIEW under an id the journal never heard of, with no
     * notification; now the run is journaled ABORTED (INTERNAL_ERROR) and notified.
     */
    @Test
    void aBugBeforeTheStartRecordIsJournaledAbortedAndNotified() {
        try (Harness h = new Harness(dir, List.of())) {
            h.brokerDecorator = b -> new ForwardingBroker(b) {
                @Override
                public MarketClock clock() {
                    throw new IllegalStateException("adapter bug: a clock answer it cannot read");
                }
            };

            RebalanceOutcome outcome = h.engine().rebalance(ACCOUNT, null, ProgressListener.NONE);

            assertThat(outcome.status()).isEqualTo(TransactionStatus.ABORTED);
            assertThat(outcome.errorCode()).isEqualTo(ErrorCode.INTERNAL_ERROR);
            assertThat(h.journal.transaction(outcome.txId())).isPresent();
            assertThat(h.eventKinds(outcome.txId())).containsExactly("TransactionStarted", "TransactionEnded", "OrdersWorking");
            assertThat(notices(h, outcome.txId())).isEqualTo(1);
            assertThat(h.notified).extracting(n -> n.title()).containsExactly("Rebalance ABORTED for account main");
            assertThat(h.exchange.orderLog()).isEmpty();
        }
    }

    /**
     * Finding 5. An event that cannot be folded (an order moved from FILLED back to ACCEPTED: a bug once wrote it) used to
     * make every restart throw before anything else was recovered; now that transaction is closed for review, the
     * others are recovered, and the next restart is clean. A ledger refuses such an event before it is journaled.
     */
    @Test
    void anUnfoldableTransactionIsClosedForReviewAndDoesNotBlockTheRestOfRecovery() {
        try (Harness h = new Harness(dir, List.of())) {
            h.brokerDecorator = b -> new CrashingBroker(b, 1);
            assertThatThrownBy(() -> h.engine().rebalance(ACCOUNT, null, ProgressListener.NONE))
                    .isInstanceOf(CrashingBroker.Crash.class);
            OrderIntentRecorded intent = h.events("tx-1").stream().filter(OrderIntentRecorded.class::isInstance)
                    .map(OrderIntentRecorded.class::cast).findFirst().orElseThrow();
            h.journal.appendAll(List.of(
                    new OrderUpdated("tx-1", ACCOUNT, intent.clientOrderId(), "b-1", OrderState.FILLED,
                            intent.spec().quantity(), new BigDecimal("250.00"), h.clock.instant()),
                    new OrderUpdated("tx-1", ACCOUNT, intent.clientOrderId(), "b-1", OrderState.ACCEPTED,
                            BigDecimal.ZERO, null, h.clock.instant())));
            h.brokerDecorator = b -> b;
            Engine engine = h.engine();

            var report = engine.recover();

            assertThat(report.transactions()).singleElement().satisfies(e -> {
                assertThat(e.txId()).isEqualTo("tx-1");
                assertThat(e.status()).isEqualTo(TransactionStatus.NEEDS_REVIEW);
                assertThat(e.note()).contains("cannot be folded");
            });
            assertThat(h.journal.openStreams(JournalEvent.TRANSACTION)).isEmpty();
            assertThat(h.notified).extracting(n -> n.title()).contains("Transaction tx-1 needs review");
            assertThat(engine.recover().transactions()).isEmpty();
        }
    }

    /**
     * Finding 6. A shutdown interrupts a rebalance while it waits out a rate limit. The interrupt used to close the
     * transaction NEEDS_REVIEW and halt the account; now the transaction stays in progress for recovery, the account
     * keeps its state, and the next start finishes the rebalance.
     */
    @Test
    void anInterruptedWaitLeavesTheTransactionForRecoveryAndTheAccountUnhalted() {
        FaultRule limited = FaultRule.rateLimited(Duration.ofSeconds(1)).withOp(BrokerCall.SUBMIT).withNth(1);
        try (Harness h = new Harness(dir, List.of(limited))) {
            h.sleeper = Sleeper.system();
            h.brokerDecorator = b -> new ForwardingBroker(b) {
                private boolean signalled;

                @Override
                public BrokerOrder submit(String clientOrderId, OrderSpec spec) {
                    if (!signalled) {
                        signalled = true;
                        Thread.currentThread().interrupt(); // SIGTERM arrives while the first order is under way
                    }
                    return delegate().submit(clientOrderId, spec);
                }
            };

            assertThatThrownBy(() -> h.engine().rebalance(ACCOUNT, null, ProgressListener.NONE))
                    .isInstanceOf(WaitInterrupted.class);
            assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();

            assertThat(h.journal.transaction("tx-1")).get().extracting(s -> s.status())
                    .isEqualTo(TransactionStatus.IN_PROGRESS);
            h.sleeper = h.clock;
            h.brokerDecorator = b -> b;
            Engine restarted = h.engine();
            assertThat(restarted.status(ACCOUNT).state()).isEqualTo(TradingState.ACTIVE);
            assertThat(restarted.recover().transactions()).singleElement()
                    .satisfies(e -> assertThat(e.status()).isEqualTo(TransactionStatus.COMPLETED));
        }
    }

    /** Finding 10. A rebalance that finds nothing to do says so in the journal: COMPLETED, nothing sent, no notice. */
    @Test
    void aRebalanceThatFindsNothingToDoIsJournaledCompleted() {
        try (Harness h = new Harness(dir, List.of())) {
            Engine engine = h.engine();
            RebalanceOutcome first = engine.rebalance(ACCOUNT, null, ProgressListener.NONE);
            int notifications = h.notified.size();

            RebalanceOutcome check = engine.rebalance(ACCOUNT, null, ProgressListener.NONE);

            assertThat(first.status()).isEqualTo(TransactionStatus.COMPLETED);
            assertThat(check.status()).isEqualTo(TransactionStatus.COMPLETED);
            assertThat(check.txId()).isNotNull().isNotEqualTo(first.txId());
            assertThat(h.eventKinds(check.txId())).containsExactly("TransactionStarted", "TransactionEnded", "OrdersWorking");
            assertThat(h.ended(check.txId()).reconciliationNotes()).contains("nothing sent");
            assertThat(h.notified).hasSize(notifications);
        }
    }

    /**
     * Finding 13. The broker refuses the account read an order operation starts with. That used to escape the engine
     * as an exception; it is an operation that could not start: journaled FAILED, nothing sent, and notified.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = RejectReason.class,
            names = {"INSUFFICIENT_BUYING_POWER", "INVALID_ORDER"})
    void anOperationWhoseAccountReadFailsIsJournaledFailedAndNotified(RejectReason reason) {
        // INVALID_ORDER is a validation code: from the broker's read it once passed for the request's own error and
        // escaped the engine (soak seed 1050221, through the protection watch)
        FaultRule refusedRead = FaultRule.reject(reason).withOp(BrokerCall.ACCOUNT).withNth(1);
        try (Harness h = new Harness(dir, List.of(refusedRead))) {
            OperationOutcome outcome = h.engine().operate(ACCOUNT, OperationType.POSITION_CLOSE,
                    OperationParams.close(dev.keel.core.model.Symbol.of("TLT"), null), null);

            assertThat(outcome.state()).isEqualTo(OperationState.FAILED);
            assertThat(outcome.code()).isEqualTo(reason.code());
            assertThat(h.ended(outcome.txId()).errorMessage()).startsWith("not started, nothing sent");
            assertThat(notices(h, outcome.txId())).isEqualTo(1);
            assertThat(h.exchange.orderLog()).isEmpty();
        }
    }

    /** Notifications queued about the transaction (they live in streams of their own). */
    private static long notices(Harness h, String txId) {
        List<JournalRecord> all = new java.util.ArrayList<>();
        h.journal.replay(0, all::add);
        return all.stream().map(JournalRecord::event).filter(NotificationQueued.class::isInstance)
                .map(NotificationQueued.class::cast).filter(n -> txId.equals(n.txId())).count();
    }

    private static long count(Harness h, String txId, Class<?> kind) {
        return h.journal.stream(txId).stream().filter(r -> kind.isInstance(r.event())).count();
    }

    /**
     * Two threads meeting on one account: the holder stops at its first broker call (it holds the lease then) until
     * released; the waiter is known to be at the lease once {@link #leases} saw it ask.
     */
    private static final class Meeting {
        private final java.util.Set<String> pauseAt;
        private final CountDownLatch holderPaused = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);
        private final CountDownLatch waiterAsked = new CountDownLatch(1);
        private volatile Thread holderThread;

        /** @param pauseAt the broker calls the holder may stop at (its first of them): account, lookup, open, submit */
        Meeting(String... pauseAt) {
            this.pauseAt = java.util.Set.of(pauseAt);
        }

        Broker pausing(Broker broker) {
            return new ForwardingBroker(broker) {
                @Override
                public AccountSnapshot account() {
                    pause("account");
                    return delegate().account();
                }

                @Override
                public Optional<BrokerOrder> orderByClientId(String clientOrderId) {
                    pause("lookup");
                    return delegate().orderByClientId(clientOrderId);
                }

                @Override
                public List<BrokerOrder> openOrders() {
                    pause("open");
                    return delegate().openOrders();
                }

                @Override
                public BrokerOrder submit(String clientOrderId, OrderSpec spec) {
                    pause("submit");
                    return delegate().submit(clientOrderId, spec);
                }
            };
        }

        private void pause(String call) {
            if (pauseAt.contains(call) && Thread.currentThread() == holderThread && holderPaused.getCount() > 0) {
                holderPaused.countDown();
                await(release);
            }
        }

        AccountLeases leases(AccountLeases delegate) {
            return (accountId, timeout) -> {
                if (Thread.currentThread() != holderThread) {
                    waiterAsked.countDown();
                }
                return delegate.acquire(accountId, timeout);
            };
        }

        <T> CompletableFuture<T> holder(Supplier<T> work) {
            CompletableFuture<T> done = new CompletableFuture<>();
            Thread t = Thread.ofPlatform().name("holder").unstarted(() -> {
                try {
                    done.complete(work.get());
                } catch (Throwable e) {
                    done.completeExceptionally(e);
                }
            });
            holderThread = t;
            t.start();
            await(holderPaused);
            return done;
        }

        <T> CompletableFuture<T> waiter(Supplier<T> work) {
            CompletableFuture<T> done = CompletableFuture.supplyAsync(work, r -> Thread.ofPlatform().name("waiter")
                    .start(r));
            await(waiterAsked);
            return done;
        }

        void releaseHolder() {
            release.countDown();
        }

        private static void await(CountDownLatch latch) {
            try {
                if (!latch.await(60, TimeUnit.SECONDS)) {
                    throw new AssertionError("the other caller never arrived");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
