package dev.keel.core.execution;

import dev.keel.core.account.AccountStatus;
import dev.keel.core.broker.BrokerException;
import dev.keel.core.broker.Delivery;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.journal.OrderAttemptFailed;
import dev.keel.core.journal.OrderFailed;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.OrderState;
import dev.keel.core.model.TradingState;
import dev.keel.core.time.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submitting one journaled intent until the broker holds it, it is refused, or it is given up (laws 2-4): a submit
 * is repeated only after a definite non-acceptance or after absence was proven, within the SUBMIT retry policy and
 * the broker's retry budget; an ambiguous answer makes the order UNKNOWN, resolved by {@link Lookups}; an open
 * breaker's refusal is not retried inside its open period; the account's trading state is checked before every
 * submit (law 9).
 */
final class Submissions {
    private static final Logger LOG = LoggerFactory.getLogger(Submissions.class);

    private final BrokerGateway gateway;
    private final ExecutionSettings settings;
    private final Clock clock;
    private final Sleeper sleeper;
    private final RandomGenerator random;
    private final Lookups lookups;
    private final FillWatch fills;

    Submissions(ExecutionKit kit, Lookups lookups, FillWatch fills) {
        this.gateway = kit.gateway();
        this.settings = kit.settings();
        this.clock = kit.clock();
        this.sleeper = kit.sleeper();
        this.random = kit.random();
        this.lookups = lookups;
        this.fills = fills;
    }

    /**
     * Drives the order {@code cid}, whose intent is journaled, from the state folded from the journal until it is
     * working (and, with {@code waitForFill}, filled or cancelled at the fill timeout), ended, or left UNKNOWN.
     *
     * @param reducing the order only reduces a held position: it leaves Keel on a frozen account too (law 9)
     * @param giveUpAt when a failed submit is no longer repeated, and an UNKNOWN order no longer looked up (it is
     *                 left UNKNOWN for the caller to give up on); no wait goes past it; null for the retry policy alone
     */
    void drive(TransactionLedger ledger, String cid, boolean waitForFill, boolean reducing, Instant giveUpAt) {
        while (true) {
            OrderTrack t = ledger.view().order(cid);
            switch (t.state()) {
                case INTENDED -> {
                    if (t.failedAttempts() >= gateway.retryPolicy(Endpoint.SUBMIT).maxAttempts()) {
                        giveUp(ledger, t);
                    } else if (late(t, giveUpAt)) {
                        giveUpLate(ledger, t, giveUpAt);
                    } else {
                        submitOnce(ledger, t, giveUpAt, reducing, waitForFill); // checks the trading state last (law 9)
                    }
                }
                case UNKNOWN -> {
                    if (!lookups.resolve(ledger, cid, giveUpAt, waitForFill && !reducing)) {
                        // still UNKNOWN: never guessed (law 3); the caller reviews it, or past giveUpAt gives up on it
                        return;
                    }
                    budgetResubmit(ledger, cid);
                }
                case ACCEPTED, PARTIALLY_FILLED -> {
                    if (waitForFill) {
                        fills.awaitFill(ledger, cid);
                    }
                    return;
                }
                case FILLED, CANCELLED, EXPIRED, REJECTED, FAILED -> {
                    return;
                }
            }
        }
    }

    /**
     * An order proven absent after a failed submit is about to be sent again: a retry, which takes one from the
     * broker's retry budget like any other, so an outage answered with 5xx cannot multiply the traffic. A spent budget
     * fails the order with the error it had. When no attempt is left, the next pass gives up without asking.
     */
    private void budgetResubmit(TransactionLedger ledger, String cid) {
        OrderTrack t = ledger.view().order(cid);
        if (t.state() != OrderState.INTENDED || t.failedAttempts() == 0
                || t.failedAttempts() >= gateway.retryPolicy(Endpoint.SUBMIT).maxAttempts()
                || gateway.tryRetry(Endpoint.SUBMIT)) {
            return;
        }
        OperationContext ctx = ledger.context();
        ErrorCode code = t.lastError() == null ? ErrorCode.INTERNAL_ERROR : t.lastError();
        ledger.record(new OrderFailed(ctx.txId(), ctx.accountId(), cid, OrderState.FAILED, code,
                "not retried, the broker's retry budget is spent: " + t.lastMessage(), t.retryCount(),
                clock.instant()));
    }

    /**
     * An open breaker refused the submit: nothing was sent, and nothing would be until the breaker lets a trial call
     * through, so a retry inside the open period is no retry at all. An order with a {@code giveUpAt} (a protective
     * order) that the breaker would let through before it gives up waits for that trial; any other order ends here,
     * FAILED, and the operation reports it (the next run or an operator picks it up).
     *
     * @return true when the order waited for the trial and should be submitted again
     */
    boolean waitForBreakerTrial(TransactionLedger ledger, OrderTrack t, BrokerException e, int attempt,
                                        Instant giveUpAt) {
        Duration left = e.retryAfter();
        Instant trial = left == null ? null : clock.instant().plus(left);
        if (giveUpAt != null && trial != null && trial.isBefore(giveUpAt)
                && attempt < gateway.retryPolicy(Endpoint.SUBMIT).maxAttempts()) {
            if (!left.isZero()) {
                sleeper.sleep(left);
            }
            return true;
        }
        OperationContext ctx = ledger.context();
        ledger.record(new OrderFailed(ctx.txId(), ctx.accountId(), t.clientOrderId(), OrderState.FAILED, e.code(),
                e.getMessage() + "; not retried inside its open period"
                        + (trial == null ? "" : " (a trial call is let through at " + trial + ")"),
                attempt - 1, clock.instant()));
        return false;
    }

    /**
     * @param soon whether the answer may wait for the transaction's next append ({@link TransactionLedger#recordSoon}):
     *             for an order the caller waits on until it fills (a rebalance's), whose next append follows soon; a
     *             resting order (protection, an entry left working) and an exit are journaled at once
     */
    private void submitOnce(TransactionLedger ledger, OrderTrack t, Instant giveUpAt, boolean reducing,
                            boolean soon) {
        OperationContext ctx = ledger.context();
        RetryPolicy retry = gateway.retryPolicy(Endpoint.SUBMIT);
        int attempt = t.failedAttempts() + 1;
        try {
            String sent = settings.hooks().newClientOrderIdPerAttempt()
                    ? t.clientOrderId() + "." + attempt : t.clientOrderId();
            // law 9 again after the gateway's waits: a halt journaled while the submit waited for a permit stops it
            BrokerOrder order = gateway.submit(sent, t.spec(), () -> {
                AccountStatus blocking = blocking(ledger, t, reducing);
                if (blocking != null) {
                    throw new NotSent(blocking);
                }
            });
            if (soon && !reducing) {
                ledger.recordSoon(lookups.updated(ctx, order)); // the next intent's commit carries it
            } else {
                ledger.record(lookups.updated(ctx, order));
            }
        } catch (NotSent n) {
            refuse(ledger, t, n.status);
        } catch (BrokerException e) {
            ledger.record(new OrderAttemptFailed(ctx.txId(), ctx.accountId(), t.clientOrderId(), attempt, e.code(),
                    e.delivery(), e.httpStatus(), e.getMessage(), e.rawResponse(), clock.instant()));
            LOG.info("submit {} attempt {} failed: {} ({})", t.clientOrderId(), attempt, e.code(), e.delivery());
            if (e.delivery() == Delivery.AMBIGUOUS && settings.hooks().blindResubmitOnTimeout()
                    && attempt < retry.maxAttempts()) {
                blindResubmit(ledger, t, attempt + 1);
                return;
            }
            if (e.delivery() == Delivery.AMBIGUOUS || e.code() == ErrorCode.DUPLICATE_CLIENT_ORDER_ID) {
                return; // the fold made it UNKNOWN; drive() resolves it by lookup
            }
            if (BrokerGateway.refusedByBreaker(e)) {
                waitForBreakerTrial(ledger, t, e, attempt, giveUpAt);
                return;
            }
            if (e.delivery() == Delivery.REFUSED || !e.code().retryable()) {
                OrderState end = e.delivery() == Delivery.REFUSED ? OrderState.REJECTED : OrderState.FAILED;
                ledger.record(new OrderFailed(ctx.txId(), ctx.accountId(), t.clientOrderId(), end, e.code(),
                        e.getMessage(), attempt - 1, clock.instant()));
                return;
            }
            if (attempt < retry.maxAttempts()) {
                if (!gateway.tryRetry(Endpoint.SUBMIT)) {
                    ledger.record(new OrderFailed(ctx.txId(), ctx.accountId(), t.clientOrderId(), OrderState.FAILED,
                            e.code(), "not retried, the broker's retry budget is spent: " + e.getMessage(),
                            attempt - 1, clock.instant()));
                    return;
                }
                // not past giveUpAt: the next pass gives the order up then instead of sending it late
                Waits.sleep(sleeper, clock, retry.delay(attempt, e.retryAfter(), random), giveUpAt);
            }
        }
    }

    /**
     * Law 9, at the last step before the wire: a submit leaves Keel only if the account's trading state allows its
     * side. The state is read from the journal at every submit, so a halt journaled by another process (an operator)
     * stops the next order of an operation already running. A refused order fails without reaching the broker.
     */
    boolean refusedByTradingState(TransactionLedger ledger, OrderTrack t, boolean reducing) {
        AccountStatus blocking = blocking(ledger, t, reducing);
        if (blocking == null) {
            return false;
        }
        refuse(ledger, t, blocking);
        return true;
    }

    /** The account's status when it does not let {@code t} leave Keel; null when it does. */
    private AccountStatus blocking(TransactionLedger ledger, OrderTrack t, boolean reducing) {
        if (settings.hooks().ignoreTradingState() || reducing) {
            return null;
        }
        AccountStatus status = AccountStatus.of(ledger.journal(), ledger.context().accountId());
        return status.state().allowsNew(t.spec().side()) ? null : status;
    }

    private void refuse(TransactionLedger ledger, OrderTrack t, AccountStatus status) {
        OperationContext ctx = ledger.context();
        ErrorCode code = status.state() == TradingState.HALTED ? ErrorCode.ACCOUNT_HALTED : ErrorCode.ACCOUNT_REDUCING;
        LOG.warn("{} not sent: account {} is {}", t.clientOrderId(), ctx.accountId(), status.state());
        ledger.record(new OrderFailed(ctx.txId(), ctx.accountId(), t.clientOrderId(), OrderState.FAILED, code,
                "not sent: the account is " + status.describe(), t.retryCount(), clock.instant()));
    }

    /** The last check before the wire found the account's state forbids the order: nothing was sent. */
    private static final class NotSent extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient AccountStatus status;

        NotSent(AccountStatus status) {
            super("not sent: the account is " + status.state(), null, false, false);
            this.status = status;
        }
    }

    /** {@link SimulationHooks#blindResubmitOnTimeout}: sends again without asking the broker (breaks law 3). */
    private void blindResubmit(TransactionLedger ledger, OrderTrack t, int attempt) {
        OperationContext ctx = ledger.context();
        try {
            ledger.record(lookups.updated(ctx, gateway.submit(t.clientOrderId(), t.spec())));
        } catch (BrokerException e) {
            ledger.record(new OrderAttemptFailed(ctx.txId(), ctx.accountId(), t.clientOrderId(), attempt, e.code(),
                    e.delivery(), e.httpStatus(), e.getMessage(), e.rawResponse(), clock.instant()));
        }
    }

    /** Whether a submit that has failed at least once must not be repeated: {@code giveUpAt} has passed. */
    boolean late(OrderTrack t, Instant giveUpAt) {
        return giveUpAt != null && t.failedAttempts() > 0 && !clock.instant().isBefore(giveUpAt);
    }

    void giveUpLate(TransactionLedger ledger, OrderTrack t, Instant giveUpAt) {
        OperationContext ctx = ledger.context();
        ErrorCode code = t.lastError() == null ? ErrorCode.INTERNAL_ERROR : t.lastError();
        ledger.record(new OrderFailed(ctx.txId(), ctx.accountId(), t.clientOrderId(), OrderState.FAILED, code,
                "not working by " + giveUpAt + ", when the protection grace ran out, after " + t.failedAttempts()
                        + " attempt(s): " + t.lastMessage(), t.retryCount(), clock.instant()));
    }

    void giveUp(TransactionLedger ledger, OrderTrack t) {
        OperationContext ctx = ledger.context();
        ErrorCode code = t.lastError() == null ? ErrorCode.INTERNAL_ERROR : t.lastError();
        ledger.record(new OrderFailed(ctx.txId(), ctx.accountId(), t.clientOrderId(), OrderState.FAILED, code,
                "gave up after " + t.failedAttempts() + " attempts: " + t.lastMessage(), t.retryCount(),
                clock.instant()));
    }
}
