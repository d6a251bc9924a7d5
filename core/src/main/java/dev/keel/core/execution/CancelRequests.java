package dev.keel.core.execution;

import dev.keel.core.broker.BrokerException;
import dev.keel.core.broker.Delivery;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.journal.OrderCancelFailed;
import dev.keel.core.journal.OrderCancelRequested;
import dev.keel.core.journal.OrderFailed;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.OrderOutcome;
import dev.keel.core.model.OrderState;
import dev.keel.core.time.Sleeper;
import java.time.Clock;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cancelling orders, tracked or not, with law 3 for cancels: each request to a tracked order is journaled first, a
 * failed or ambiguous one is followed by a lookup, and a request is repeated as the CANCEL retry policy and the
 * retry budget allow while the order is still working.
 */
final class CancelRequests {
    private static final Logger LOG = LoggerFactory.getLogger(CancelRequests.class);

    private final BrokerGateway gateway;
    private final ExecutionSettings settings;
    private final Clock clock;
    private final Sleeper sleeper;
    private final RandomGenerator random;
    private final Lookups lookups;

    CancelRequests(ExecutionKit kit, Lookups lookups) {
        this.gateway = kit.gateway();
        this.settings = kit.settings();
        this.clock = kit.clock();
        this.sleeper = kit.sleeper();
        this.random = kit.random();
        this.lookups = lookups;
    }

    /**
     * Cancels an order the ledger tracks (the ledger of the transaction that placed it), keeping law 3 for cancels:
     * each request is journaled first ({@link OrderCancelRequested}); a failed or ambiguous one is followed by a
     * lookup, because a cancel that timed out may have happened and a refused one usually means the order already
     * ended; a request is repeated as the CANCEL retry policy allows while the order is still working. An order the
     * journal has UNKNOWN is resolved by lookup first; one still INTENDED never reached the broker and is withdrawn.
     */
    CancelResult cancel(TransactionLedger owner, String cid, String reason) {
        OperationContext ctx = owner.context();
        OrderTrack start = owner.view().order(cid);
        if (start == null) {
            throw new IllegalArgumentException("transaction " + ctx.txId() + " has no order " + cid);
        }
        boolean endedBefore = start.state().isTerminal();
        RetryPolicy retry = gateway.retryPolicy(Endpoint.CANCEL);
        int attempt = 0;
        BrokerException last = null;
        boolean answered = true;
        while (true) {
            OrderTrack t = owner.view().order(cid);
            if (t.state() == OrderState.UNKNOWN && !lookups.resolve(owner, cid)) {
                return CancelResult.of(owner.view().order(cid), OrderOutcome.UNKNOWN, ErrorCode.ORDER_OUTCOME_UNKNOWN,
                        "the order's outcome is unknown and the broker could not be asked", attempt);
            }
            t = owner.view().order(cid);
            if (t.state() == OrderState.INTENDED) {
                owner.record(new OrderFailed(ctx.txId(), ctx.accountId(), cid, OrderState.CANCELLED,
                        ErrorCode.ORDER_NOT_FILLED, "withdrawn before it reached the broker: " + reason,
                        t.retryCount(), clock.instant()));
                return CancelResult.of(owner.view().order(cid), OrderOutcome.CANCELLED, null, null, attempt);
            }
            if (t.state().isTerminal()) {
                OrderOutcome outcome = switch (t.state()) {
                    case FILLED -> OrderOutcome.ALREADY_FILLED;
                    case CANCELLED -> endedBefore ? OrderOutcome.ALREADY_DONE : OrderOutcome.CANCELLED;
                    default -> OrderOutcome.ALREADY_DONE;
                };
                return CancelResult.of(t, outcome, null, null, attempt);
            }
            if (attempt >= retry.maxAttempts()) {
                ErrorCode code = last == null ? ErrorCode.CANCEL_UNCONFIRMED : last.code();
                // an ambiguous request is settled by the lookup after it: the order still working is an answer
                boolean unsure = last != null && last.delivery() == Delivery.AMBIGUOUS && !answered;
                return CancelResult.of(t, unsure ? OrderOutcome.UNKNOWN : OrderOutcome.FAILED,
                        unsure ? ErrorCode.CANCEL_UNCONFIRMED : code, "still working after " + attempt
                                + " cancel request(s)" + (last == null ? "" : "; last: " + last.getMessage()),
                        attempt);
            }
            attempt++;
            if (attempt > 1 && !gateway.tryRetry(Endpoint.CANCEL)) {
                return CancelResult.of(t, OrderOutcome.FAILED, last == null ? ErrorCode.CANCEL_UNCONFIRMED
                        : last.code(), "not retried, the broker's retry budget is spent", attempt - 1);
            }
            owner.record(new OrderCancelRequested(ctx.txId(), ctx.accountId(), cid, t.brokerOrderId(), attempt,
                    reason, clock.instant()));
            try {
                lookups.recordIfChanged(owner, ctx, t, gateway.cancel(t.brokerOrderId()));
                last = null;
                if (owner.view().order(cid).state().isLive()) {
                    // accepted for cancellation but not yet cancelled: give the broker its grace period to finish
                    sleeper.sleep(settings.visibilityGrace());
                    lookups.refresh(owner, cid);
                }
            } catch (BrokerException e) {
                last = e;
                owner.record(new OrderCancelFailed(ctx.txId(), ctx.accountId(), cid, attempt, e.code(), e.delivery(),
                        e.getMessage(), clock.instant()));
                LOG.info("cancel {} attempt {} failed: {} ({}); asking the broker", cid, attempt, e.code(),
                        e.delivery());
                OrderTrack before = owner.view().order(cid);
                answered = ask(owner, cid);
                if (owner.view().order(cid).state().isLive() && before.state().isLive()) {
                    sleeper.sleep(retry.delay(attempt, e.retryAfter(), random));
                }
            }
        }
    }

    /** Like {@link Lookups#refresh}, and says whether the broker answered: a failed lookup says nothing (law 4). */
    private boolean ask(TransactionLedger ledger, String cid) {
        OrderTrack t = ledger.view().order(cid);
        if (t.state() == OrderState.UNKNOWN) {
            return lookups.resolve(ledger, cid);
        }
        try {
            gateway.lookup(cid).ifPresent(o -> lookups.recordIfChanged(ledger, ledger.context(), t, o));
            return true;
        } catch (BrokerException e) {
            LOG.debug("lookup of {} after a failed cancel failed: {}", cid, e.code());
            return false;
        }
    }

    /**
     * Cancels an order the journal does not track (placed by hand, or by a transaction whose events are gone), with
     * the same law 3 as {@link #cancel}: each failed or ambiguous request is followed by a lookup by client order id,
     * and repeated as the CANCEL retry policy and the retry budget allow while the order is still working. Nothing is
     * journaled here: the caller records the result in its own operation's stream.
     *
     * @param order the order as the broker reported it
     */
    CancelResult cancelUntracked(BrokerOrder order, String reason) {
        RetryPolicy retry = gateway.retryPolicy(Endpoint.CANCEL);
        BrokerOrder now = order;
        BrokerException last = null;
        boolean answered = true;
        int attempt = 0;
        while (true) {
            if (now.state().isTerminal()) {
                OrderOutcome outcome = switch (now.state()) {
                    case FILLED -> OrderOutcome.ALREADY_FILLED;
                    case CANCELLED -> OrderOutcome.CANCELLED;
                    default -> OrderOutcome.ALREADY_DONE;
                };
                return untracked(now, outcome, null, null, attempt);
            }
            if (attempt >= retry.maxAttempts()) {
                boolean unsure = last != null && last.delivery() == Delivery.AMBIGUOUS && !answered;
                return untracked(now, unsure ? OrderOutcome.UNKNOWN : OrderOutcome.FAILED,
                        unsure ? ErrorCode.CANCEL_UNCONFIRMED : last == null ? ErrorCode.CANCEL_UNCONFIRMED
                                : last.code(), "still working after " + attempt + " cancel request(s)"
                                + (last == null ? "" : "; last: " + last.getMessage()), attempt);
            }
            attempt++;
            if (attempt > 1 && !gateway.tryRetry(Endpoint.CANCEL)) {
                return untracked(now, OrderOutcome.FAILED, last == null ? ErrorCode.CANCEL_UNCONFIRMED : last.code(),
                        "not retried, the broker's retry budget is spent", attempt - 1);
            }
            LOG.info("cancelling untracked order {} ({}): {}", order.clientOrderId(), order.brokerOrderId(), reason);
            try {
                now = gateway.cancel(order.brokerOrderId());
                last = null;
            } catch (BrokerException e) {
                last = e;
                LOG.info("cancel of untracked {} attempt {} failed: {} ({}); asking the broker",
                        order.clientOrderId(), attempt, e.code(), e.delivery());
            }
            if (now.state().isLive()) {
                if (last == null) {
                    sleeper.sleep(settings.visibilityGrace());
                }
                try {
                    Optional<BrokerOrder> found = gateway.lookup(order.clientOrderId());
                    answered = found.isPresent();
                    if (found.isPresent()) {
                        now = found.get();
                    }
                } catch (BrokerException e) {
                    answered = false;
                    LOG.debug("lookup of untracked {} failed: {}", order.clientOrderId(), e.code());
                }
                if (now.state().isLive() && last != null) {
                    sleeper.sleep(retry.delay(attempt, last.retryAfter(), random));
                }
            }
        }
    }

    static CancelResult untracked(BrokerOrder o, OrderOutcome outcome, ErrorCode code, String message,
                                          int attempts) {
        return new CancelResult(o.clientOrderId(), o.brokerOrderId(), outcome, o.state(), o.filledQuantity(), code,
                message, attempts);
    }
}
