package dev.keel.core.execution;

import dev.keel.core.broker.BrokerException;
import dev.keel.core.journal.OrderLookedUp;
import dev.keel.core.journal.OrderUpdated;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.OrderState;
import dev.keel.core.time.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asking the broker about an order by its client order id, and journaling what it says (laws 3 and 4): an UNKNOWN
 * order is resolved by lookups, found (adopted) or proven absent only by a "not found" after the visibility grace
 * period; a failed lookup says nothing about the order; a lagging answer never moves an order backwards.
 */
final class Lookups {
    private static final Logger LOG = LoggerFactory.getLogger(Lookups.class);

    private final BrokerGateway gateway;
    private final ExecutionSettings settings;
    private final Clock clock;
    private final Sleeper sleeper;
    private final RandomGenerator random;

    Lookups(ExecutionKit kit) {
        this.gateway = kit.gateway();
        this.settings = kit.settings();
        this.clock = kit.clock();
        this.sleeper = kit.sleeper();
        this.random = kit.random();
    }

    /**
     * Asks the broker about an UNKNOWN order until it answers: found (adopt it), or not found after the grace
     * period (absent: the same id may be submitted again). Returns false if every lookup failed, or if the broker
     * answered DUPLICATE for the id and then does not find it: it holds the order, so it is not absent.
     */
    boolean resolve(TransactionLedger ledger, String cid) {
        return resolve(ledger, cid, null, false);
    }

    /**
     * {@link #resolve(TransactionLedger, String)} that stops asking at {@code deadline} (a protective order's
     * protection grace): no wait goes past it, and once it has come the order is left UNKNOWN (false) for the caller
     * to give up on it, which it does by cancelling, whose own lookups resolve the order (law 3). Null for the retry
     * policy alone.
     *
     * @param soon whether an answer that resolves the order may wait in the ledger for its next append
     *             ({@link TransactionLedger#recordSoon}): for a caller that appends next in every case, as
     *             {@link Submissions#drive} does for an order it waits on until it fills (the resubmit's answer, the
     *             next intent, the ending). A lookup is a broker's answer like a submit's: a crash before that append
     *             loses it, and the next lookup learns it again (law 3). Resuming a rebalance killed inside a submit
     *             looked up its four unanswered orders with two commits each for the found ones and one each for
     *             the absent; with this, none until the next append. A lookup that leaves the order unresolved, or
     *             one inside the grace, is journaled at once.
     */
    boolean resolve(TransactionLedger ledger, String cid, Instant deadline, boolean soon) {
        OperationContext ctx = ledger.context();
        int failures = 0;
        while (true) {
            if (deadline != null && !clock.instant().isBefore(deadline)) {
                LOG.warn("order {} stays UNKNOWN: its deadline {} has come", cid, deadline);
                return false;
            }
            OrderTrack t = ledger.view().order(cid);
            Instant graceEnds = t.lastAttemptAt() == null ? clock.instant()
                    : t.lastAttemptAt().plus(settings.visibilityGrace());
            boolean afterGrace = !clock.instant().isBefore(graceEnds);
            try {
                Optional<BrokerOrder> found = gateway.lookup(cid);
                if (found.isPresent()) {
                    OrderLookedUp lookedUp = new OrderLookedUp(ctx.txId(), ctx.accountId(), cid,
                            OrderLookedUp.Outcome.FOUND, afterGrace, null, clock.instant());
                    OrderUpdated adopted = updated(ctx, found.get());
                    if (soon) {
                        ledger.recordSoon(lookedUp);
                        ledger.recordSoon(adopted);
                    } else {
                        ledger.recordAll(List.of(lookedUp, adopted)); // one commit: the answer and what it says
                    }
                    return true;
                }
                OrderLookedUp notFound = new OrderLookedUp(ctx.txId(), ctx.accountId(), cid,
                        OrderLookedUp.Outcome.NOT_FOUND, afterGrace, null, clock.instant());
                if (afterGrace && !t.heldByBroker()) {
                    if (soon) {
                        ledger.recordSoon(notFound); // written before, and with, whatever is sent next (law 3)
                    } else {
                        ledger.record(notFound);
                    }
                    return true;
                }
                ledger.record(notFound);
                if (afterGrace) {
                    // it answered DUPLICATE: it holds the id its index cannot find; sending it again would be
                    // refused, and calling it absent would be a guess (law 3): the order is left for review
                    LOG.warn("order {} stays UNKNOWN: the broker said it holds the id, but its lookup does not"
                            + " find it", cid);
                    return false;
                }
                Waits.sleep(sleeper, clock, Duration.between(clock.instant(), graceEnds), deadline);
            } catch (BrokerException e) {
                if (settings.hooks().failedLookupAsNotFound() && afterGrace) {
                    ledger.record(new OrderLookedUp(ctx.txId(), ctx.accountId(), cid,
                            OrderLookedUp.Outcome.NOT_FOUND, true, null, clock.instant()));
                    return true;
                }
                ledger.record(new OrderLookedUp(ctx.txId(), ctx.accountId(), cid, OrderLookedUp.Outcome.ERROR,
                        afterGrace, e.code(), clock.instant()));
                failures++;
                RetryPolicy retry = gateway.retryPolicy(Endpoint.LOOKUP);
                if (failures >= retry.maxAttempts()) {
                    LOG.warn("order {} stays UNKNOWN: {} lookups failed, last {}", cid, failures, e.code());
                    return false;
                }
                Waits.sleep(sleeper, clock, retry.delay(failures, e.retryAfter(), random), deadline);
            }
        }
    }

    /**
     * Asks the broker once for an order the ledger tracks and journals what changed. Returns the track afterwards;
     * a failed lookup changes nothing (law 4) and returns it unchanged.
     */
    OrderTrack refresh(TransactionLedger ledger, String cid) {
        OrderTrack t = ledger.view().order(cid);
        if (t == null || t.state() == OrderState.INTENDED) {
            return t;
        }
        if (t.state() == OrderState.UNKNOWN) {
            resolve(ledger, cid);
            return ledger.view().order(cid);
        }
        try {
            gateway.lookup(cid).ifPresent(o -> recordIfChanged(ledger, ledger.context(), t, o));
        } catch (BrokerException e) {
            LOG.debug("refresh of {} failed: {}", cid, e.code());
        }
        return ledger.view().order(cid);
    }

    void recordIfChanged(TransactionLedger ledger, OperationContext ctx, OrderTrack t, BrokerOrder o) {
        boolean changed = changed(t, o);
        if (changed && forward(t, o)) {
            ledger.record(updated(ctx, o));
        } else if (changed) {
            LOG.debug("ignoring a stale report of {}: {} {} after {} {}", t.clientOrderId(), o.state(),
                    o.filledQuantity(), t.state(), t.filledQuantity());
        }
    }

    /** Whether the broker's {@code o} is news to the journal's {@code t}: it differs and moves the order forward. */
    static boolean movesForward(OrderTrack t, BrokerOrder o) {
        return changed(t, o) && forward(t, o);
    }

    private static boolean changed(OrderTrack t, BrokerOrder o) {
        return o.state() != t.state() || o.filledQuantity().compareTo(t.filledQuantity()) != 0
                || !o.brokerOrderId().equals(t.brokerOrderId());
    }

    /** A lagging answer may be older than what the journal holds; it is news only if it moves the order forward. */
    private static boolean forward(OrderTrack t, BrokerOrder o) {
        return (o.state() == t.state() || t.state().canMoveTo(o.state()))
                && o.filledQuantity().compareTo(t.filledQuantity()) >= 0;
    }

    OrderUpdated updated(OperationContext ctx, BrokerOrder o) {
        return new OrderUpdated(ctx.txId(), ctx.accountId(), o.clientOrderId(), o.brokerOrderId(), o.state(),
                o.filledQuantity(), o.filledAvgPrice(), clock.instant());
    }
}
