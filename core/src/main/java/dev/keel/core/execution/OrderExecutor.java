package dev.keel.core.execution;

import dev.keel.core.account.AccountStatus;
import dev.keel.core.broker.Broker;
import dev.keel.core.broker.BrokerException;
import dev.keel.core.broker.Delivery;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.journal.OrderAttemptFailed;
import dev.keel.core.journal.OrderCancelFailed;
import dev.keel.core.journal.OrderCancelRequested;
import dev.keel.core.journal.OrderFailed;
import dev.keel.core.journal.OrderIntentRecorded;
import dev.keel.core.journal.OrderLookedUp;
import dev.keel.core.journal.OrderUpdated;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.OrderOutcome;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.OrderState;
import dev.keel.core.model.TradingState;
import dev.keel.core.time.Sleeper;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one order intent to an outcome, keeping laws 1-4:
 * <ol>
 *   <li>the intent with its client order id is journaled before the first submit;</li>
 *   <li>the client order id comes from (transaction, leg) only, so every resubmit reuses it;</li>
 *   <li>an ambiguous submit makes the order UNKNOWN, resolved only by a lookup by client order id;</li>
 *   <li>only a "not found" answered after the visibility grace period proves the order absent.</li>
 * </ol>
 * A submit is repeated only after a definite non-acceptance (rate limit, refused connection, open breaker) or
 * after absence was proven, as the gateway's SUBMIT retry policy allows, and each such repeat first takes a retry
 * from the broker's retry budget: when the budget is spent the order fails with the error it had. A failed lookup of
 * an UNKNOWN order is repeated as the LOOKUP policy allows without asking the budget: those lookups are bounded per
 * order, and starving them would turn a resolvable order into one for review (law 3). The same entry point resumes
 * an order after a crash: it continues from the state folded from the journal.
 */
public final class OrderExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(OrderExecutor.class);

    private final BrokerGateway gateway;
    private final ExecutionSettings settings;
    private final Clock clock;
    private final Sleeper sleeper;
    private final RandomGenerator random;

    public OrderExecutor(BrokerGateway gateway, ExecutionSettings settings, Clock clock, Sleeper sleeper,
                         RandomGenerator random) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.random = Objects.requireNonNull(random, "random");
    }

    public BrokerGateway gateway() {
        return gateway;
    }

    public ExecutionSettings settings() {
        return settings;
    }

    /** How the executor waits; sagas that poll (a bracket's entry) wait through it too (law 11). */
    public Sleeper sleeper() {
        return sleeper;
    }

    /**
     * Executes (or, if the ledger already knows the leg, resumes) the order {@code leg} of the ledger's
     * transaction and waits for it to fill, be cancelled for the fill timeout, or fail.
     *
     * @param amountUsd the planned cash amount, reported back in the result
     */
    public OrderResult execute(TransactionLedger ledger, String leg, OrderSpec spec, BigDecimal amountUsd) {
        OperationContext ctx = ledger.context();
        String cid = ClientOrderIds.derive(ctx.txId(), leg);
        if (ledger.view().order(cid) == null) {
            ledger.record(new OrderIntentRecorded(ctx.txId(), ctx.accountId(), leg, cid, spec, clock.instant()));
        }
        drive(ledger, cid, true, false, null);
        return OrderResult.of(ledger.view().order(cid), amountUsd);
    }

    /**
     * Like {@link #execute}, for an order that only reduces a position the caller has read at the broker: a sell of a
     * long position (a position close, a bracket's emergency close) or a buy that covers a short one (flattening the
     * excess of an OCO pair whose legs both filled). Law 9 lets a frozen account reduce risk, so this order leaves
     * Keel on a REDUCING and on a HALTED account too, where {@link TradingState#allowsNew} refuses every new order. An
     * operator's halt stops new risk; it must not stop Keel or the operator from closing what is held. The caller
     * answers for the order being an exit; the executor cannot see the position.
     */
    public OrderResult executeReducing(TransactionLedger ledger, String leg, OrderSpec spec, BigDecimal amountUsd) {
        OperationContext ctx = ledger.context();
        String cid = ClientOrderIds.derive(ctx.txId(), leg);
        if (ledger.view().order(cid) == null) {
            ledger.record(new OrderIntentRecorded(ctx.txId(), ctx.accountId(), leg, cid, spec, clock.instant()));
        }
        drive(ledger, cid, true, true, null);
        return OrderResult.of(ledger.view().order(cid), amountUsd);
    }

    /**
     * Places (or resumes placing) the order {@code leg} and returns once the broker holds it, without waiting for a
     * fill: for orders meant to rest, such as protective stops and take-profits. The same laws hold as for
     * {@link #execute}; the track's state says where it stands (ACCEPTED, PARTIALLY_FILLED or FILLED when placed,
     * UNKNOWN when unresolved, REJECTED or FAILED when it was not placed).
     */
    public OrderTrack place(TransactionLedger ledger, String leg, OrderSpec spec) {
        return place(ledger, leg, spec, false, null);
    }

    /**
     * {@link #place} for a resting exit that only reduces a position the caller knows is held: a protective stop or
     * take-profit. Like {@link #executeReducing} it leaves Keel on a frozen account: a halt must not leave a position
     * unprotected.
     *
     * @param giveUpAt when a submit that has failed is no longer repeated (the protection grace ran out): the order
     *                 fails so the caller can close the position instead; null for the retry policy alone. The first
     *                 submit is always made, and an UNKNOWN outcome is still resolved (law 3).
     */
    public OrderTrack placeReducing(TransactionLedger ledger, String leg, OrderSpec spec, Instant giveUpAt) {
        return place(ledger, leg, spec, true, giveUpAt);
    }

    private OrderTrack place(TransactionLedger ledger, String leg, OrderSpec spec, boolean reducing,
                             Instant giveUpAt) {
        OperationContext ctx = ledger.context();
        String cid = ClientOrderIds.derive(ctx.txId(), leg);
        if (ledger.view().order(cid) == null) {
            ledger.record(new OrderIntentRecorded(ctx.txId(), ctx.accountId(), leg, cid, spec, clock.instant()));
        }
        drive(ledger, cid, false, reducing, giveUpAt);
        return ledger.view().order(cid);
    }

    /**
     * Places (or resumes placing) a one-cancels-other pair held by the broker ({@link BrokerGateway#submitOco}), with
     * laws 1-4 for the pair: both intents, take-profit {@code <txId>:<leg>} and stop-loss {@code <txId>:<leg>:sl},
     * are journaled in one append before the submit; an ambiguous answer makes both UNKNOWN, and each is resolved by a
     * lookup of its own id; the pair is submitted again only when both are proven absent; a refusal fails both. The
     * broker answers with the take-profit leg only, so the stop-loss leg is looked up and journaled after it. Returns
     * once both legs are resolved, or left UNKNOWN (or the stop leg INTENDED) when the broker could not be asked.
     */
    public OcoTracks placeOco(TransactionLedger ledger, String leg, OrderSpec takeProfit, OrderSpec stopLoss) {
        return placeOco(ledger, leg, takeProfit, stopLoss, null);
    }

    /**
     * {@link #placeOco(TransactionLedger, String, OrderSpec, OrderSpec)} that stops repeating a failed submit of the
     * pair at {@code giveUpAt} (see {@link #placeReducing}); null for the retry policy alone.
     */
    public OcoTracks placeOco(TransactionLedger ledger, String leg, OrderSpec takeProfit, OrderSpec stopLoss,
                              Instant giveUpAt) {
        OperationContext ctx = ledger.context();
        String tpCid = ClientOrderIds.derive(ctx.txId(), leg);
        String slCid = tpCid + Broker.STOP_LOSS_SUFFIX;
        if (ledger.view().order(tpCid) == null) {
            ledger.recordAll(List.of(
                    new OrderIntentRecorded(ctx.txId(), ctx.accountId(), leg, tpCid, takeProfit, clock.instant()),
                    new OrderIntentRecorded(ctx.txId(), ctx.accountId(), leg + Broker.STOP_LOSS_SUFFIX, slCid,
                            stopLoss, clock.instant())));
        }
        while (true) {
            OrderTrack tp = ledger.view().order(tpCid);
            OrderTrack sl = ledger.view().order(slCid);
            if (tp.state() == OrderState.UNKNOWN || sl.state() == OrderState.UNKNOWN) {
                boolean pairUnknown = tp.state() == OrderState.UNKNOWN && sl.state() == OrderState.UNKNOWN;
                boolean tpResolved = tp.state() != OrderState.UNKNOWN || resolve(ledger, tpCid);
                boolean slResolved = sl.state() != OrderState.UNKNOWN || resolve(ledger, slCid);
                if (!tpResolved || !slResolved) {
                    break; // law 3: left UNKNOWN for review, never guessed
                }
                tp = ledger.view().order(tpCid);
                sl = ledger.view().order(slCid);
                boolean tpAbsent = tp.state() == OrderState.INTENDED;
                boolean slAbsent = sl.state() == OrderState.INTENDED;
                if (pairUnknown && tpAbsent != slAbsent) {
                    // half a pair: the broker holds one leg and not its twin; it cannot be sent again as a pair
                    String missing = tpAbsent ? tpCid : slCid;
                    ledger.record(new OrderFailed(ctx.txId(), ctx.accountId(), missing, OrderState.FAILED,
                            ErrorCode.BROKER_RESPONSE_UNRECOGNIZED, "the broker holds only the other leg of this OCO"
                            + " pair", ledger.view().order(missing).retryCount(), clock.instant()));
                }
                continue;
            }
            if (tp.state() == OrderState.INTENDED && sl.state() == OrderState.INTENDED) {
                if (tp.failedAttempts() >= gateway.retryPolicy(Endpoint.SUBMIT).maxAttempts()) {
                    giveUp(ledger, tp);
                    giveUp(ledger, sl);
                } else if (late(tp, giveUpAt)) {
                    giveUpLate(ledger, tp, giveUpAt);
                    giveUpLate(ledger, sl, giveUpAt);
                } else if (!refusedByTradingState(ledger, tp, true)) { // an OCO pair exits a held position
                    submitOcoOnce(ledger, tp, sl, giveUpAt);
                } else {
                    OrderTrack refused = ledger.view().order(tpCid);
                    ledger.record(new OrderFailed(ctx.txId(), ctx.accountId(), slCid, OrderState.FAILED,
                            refused.lastError(), refused.lastMessage(), 0, clock.instant()));
                }
                continue;
            }
            if (sl.state() == OrderState.INTENDED && tp.state() != OrderState.INTENDED) {
                if (tp.state() == OrderState.REJECTED || tp.state() == OrderState.FAILED) {
                    ledger.record(new OrderFailed(ctx.txId(), ctx.accountId(), slCid, tp.state(), tp.lastError(),
                            "its OCO pair was not placed: " + tp.lastMessage(), 0, clock.instant()));
                    continue;
                }
                if (!adoptStopLeg(ledger, tp, slCid)) {
                    break;
                }
                continue;
            }
            if (tp.state() == OrderState.INTENDED) {
                // the stop leg ended without its take-profit ever being placed (a refusal of the pair)
                ledger.record(new OrderFailed(ctx.txId(), ctx.accountId(), tpCid, sl.state() == OrderState.REJECTED
                        ? OrderState.REJECTED : OrderState.FAILED, sl.lastError(), "its OCO pair was not placed: "
                        + sl.lastMessage(), 0, clock.instant()));
                continue;
            }
            break;
        }
        return new OcoTracks(ledger.view().order(tpCid), ledger.view().order(slCid));
    }

    private void submitOcoOnce(TransactionLedger ledger, OrderTrack tp, OrderTrack sl, Instant giveUpAt) {
        OperationContext ctx = ledger.context();
        RetryPolicy retry = gateway.retryPolicy(Endpoint.SUBMIT);
        int attempt = tp.failedAttempts() + 1;
        try {
            BrokerOrder order = gateway.submitOco(tp.clientOrderId(), tp.spec(), sl.spec());
            ledger.record(updated(ctx, order));
        } catch (BrokerException e) {
            ledger.recordAll(List.of(
                    new OrderAttemptFailed(ctx.txId(), ctx.accountId(), tp.clientOrderId(), attempt, e.code(),
                            e.delivery(), e.httpStatus(), e.getMessage(), e.rawResponse(), clock.instant()),
                    new OrderAttemptFailed(ctx.txId(), ctx.accountId(), sl.clientOrderId(), attempt, e.code(),
                            e.delivery(), e.httpStatus(), e.getMessage(), e.rawResponse(), clock.instant())));
            LOG.info("OCO submit {} attempt {} failed: {} ({})", tp.clientOrderId(), attempt, e.code(), e.delivery());
            if (e.delivery() == Delivery.AMBIGUOUS || e.code() == ErrorCode.DUPLICATE_CLIENT_ORDER_ID) {
                return; // both UNKNOWN: each is resolved by its own lookup
            }
            if (BrokerGateway.refusedByBreaker(e)) {
                if (!waitForBreakerTrial(ledger, tp, e, attempt, giveUpAt)) {
                    OrderTrack failed = ledger.view().order(tp.clientOrderId());
                    ledger.record(new OrderFailed(ctx.txId(), ctx.accountId(), sl.clientOrderId(), OrderState.FAILED,
                            failed.lastError(), failed.lastMessage(), attempt - 1, clock.instant()));
                }
                return;
            }
            OrderState end = e.delivery() == Delivery.REFUSED ? OrderState.REJECTED : OrderState.FAILED;
            boolean retryable = end == OrderState.FAILED && e.code().retryable() && attempt < retry.maxAttempts();
            if (retryable && gateway.tryRetry(Endpoint.SUBMIT)) {
                sleeper.sleep(retry.delay(attempt, e.retryAfter(), random));
                return;
            }
            if (end == OrderState.FAILED && attempt >= retry.maxAttempts()) {
                return; // the next pass gives up on both with the error they had
            }
            String message = retryable ? "not retried, the broker's retry budget is spent: " + e.getMessage()
                    : e.getMessage();
            ledger.recordAll(List.of(
                    new OrderFailed(ctx.txId(), ctx.accountId(), tp.clientOrderId(), end, e.code(), message,
                            attempt - 1, clock.instant()),
                    new OrderFailed(ctx.txId(), ctx.accountId(), sl.clientOrderId(), end, e.code(), message,
                            attempt - 1, clock.instant())));
        }
    }

    /**
     * The broker answered the OCO submit with its take-profit leg; its stop-loss leg exists too, under its derived
     * id. Looked up until found; one still not found after the visibility grace period counted from the take-profit's
     * acceptance means the broker holds half a pair, and the leg fails. Returns false when every lookup failed.
     */
    private boolean adoptStopLeg(TransactionLedger ledger, OrderTrack tp, String slCid) {
        OperationContext ctx = ledger.context();
        Instant graceEnds = (tp.acceptedAt() == null ? clock.instant() : tp.acceptedAt())
                .plus(settings.visibilityGrace());
        int failures = 0;
        while (true) {
            boolean afterGrace = !clock.instant().isBefore(graceEnds);
            try {
                Optional<BrokerOrder> found = gateway.lookup(slCid);
                if (found.isPresent()) {
                    ledger.record(new OrderLookedUp(ctx.txId(), ctx.accountId(), slCid, OrderLookedUp.Outcome.FOUND,
                            afterGrace, null, clock.instant()));
                    ledger.record(updated(ctx, found.get()));
                    return true;
                }
                ledger.record(new OrderLookedUp(ctx.txId(), ctx.accountId(), slCid,
                        OrderLookedUp.Outcome.NOT_FOUND, afterGrace, null, clock.instant()));
                if (afterGrace) {
                    ledger.record(new OrderFailed(ctx.txId(), ctx.accountId(), slCid, OrderState.FAILED,
                            ErrorCode.BROKER_RESPONSE_UNRECOGNIZED, "the broker accepted the OCO pair but does not"
                            + " know its stop-loss leg", 0, clock.instant()));
                    return true;
                }
                sleeper.sleep(Duration.between(clock.instant(), graceEnds));
            } catch (BrokerException e) {
                ledger.record(new OrderLookedUp(ctx.txId(), ctx.accountId(), slCid, OrderLookedUp.Outcome.ERROR,
                        afterGrace, e.code(), clock.instant()));
                failures++;
                RetryPolicy retry = gateway.retryPolicy(Endpoint.LOOKUP);
                if (failures >= retry.maxAttempts()) {
                    LOG.warn("stop-loss leg {} not confirmed: {} lookups failed, last {}", slCid, failures, e.code());
                    return false;
                }
                sleeper.sleep(retry.delay(failures, e.retryAfter(), random));
            }
        }
    }

    /**
     * Asks the broker once for an order the ledger tracks and journals what changed. Returns the track afterwards;
     * a failed lookup changes nothing (law 4) and returns it unchanged.
     */
    public OrderTrack refresh(TransactionLedger ledger, String cid) {
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

    /**
     * Cancels an order the ledger tracks (the ledger of the transaction that placed it), keeping law 3 for cancels:
     * each request is journaled first ({@link OrderCancelRequested}); a failed or ambiguous one is followed by a
     * lookup, because a cancel that timed out may have happened and a refused one usually means the order already
     * ended; a request is repeated as the CANCEL retry policy allows while the order is still working. An order the
     * journal has UNKNOWN is resolved by lookup first; one still INTENDED never reached the broker and is withdrawn.
     */
    public CancelResult cancel(TransactionLedger owner, String cid, String reason) {
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
            if (t.state() == OrderState.UNKNOWN && !resolve(owner, cid)) {
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
                recordIfChanged(owner, ctx, t, gateway.cancel(t.brokerOrderId()));
                last = null;
                if (owner.view().order(cid).state().isLive()) {
                    // accepted for cancellation but not yet cancelled: give the broker its grace period to finish
                    sleeper.sleep(settings.visibilityGrace());
                    refresh(owner, cid);
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

    /** Like {@link #refresh}, and says whether the broker answered: a failed lookup says nothing (law 4). */
    private boolean ask(TransactionLedger ledger, String cid) {
        OrderTrack t = ledger.view().order(cid);
        if (t.state() == OrderState.UNKNOWN) {
            return resolve(ledger, cid);
        }
        try {
            gateway.lookup(cid).ifPresent(o -> recordIfChanged(ledger, ledger.context(), t, o));
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
    public CancelResult cancelUntracked(BrokerOrder order, String reason) {
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

    private static CancelResult untracked(BrokerOrder o, OrderOutcome outcome, ErrorCode code, String message,
                                          int attempts) {
        return new CancelResult(o.clientOrderId(), o.brokerOrderId(), outcome, o.state(), o.filledQuantity(), code,
                message, attempts);
    }

    private void drive(TransactionLedger ledger, String cid, boolean waitForFill, boolean reducing,
                       Instant giveUpAt) {
        while (true) {
            OrderTrack t = ledger.view().order(cid);
            switch (t.state()) {
                case INTENDED -> {
                    if (t.failedAttempts() >= gateway.retryPolicy(Endpoint.SUBMIT).maxAttempts()) {
                        giveUp(ledger, t);
                    } else if (late(t, giveUpAt)) {
                        giveUpLate(ledger, t, giveUpAt);
                    } else if (!refusedByTradingState(ledger, t, reducing)) {
                        submitOnce(ledger, t, giveUpAt);
                    }
                }
                case UNKNOWN -> {
                    if (!resolve(ledger, cid)) {
                        return; // still UNKNOWN: the transaction must go to review, never guess (law 3)
                    }
                    budgetResubmit(ledger, cid);
                }
                case ACCEPTED, PARTIALLY_FILLED -> {
                    if (waitForFill) {
                        awaitFill(ledger, cid);
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
    private boolean waitForBreakerTrial(TransactionLedger ledger, OrderTrack t, BrokerException e, int attempt,
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

    private void submitOnce(TransactionLedger ledger, OrderTrack t, Instant giveUpAt) {
        OperationContext ctx = ledger.context();
        RetryPolicy retry = gateway.retryPolicy(Endpoint.SUBMIT);
        int attempt = t.failedAttempts() + 1;
        try {
            String sent = settings.planted(PlantedBug.NEW_CLIENT_ORDER_ID_PER_ATTEMPT)
                    ? t.clientOrderId() + "." + attempt : t.clientOrderId();
            BrokerOrder order = gateway.submit(sent, t.spec());
            ledger.record(updated(ctx, order));
        } catch (BrokerException e) {
            ledger.record(new OrderAttemptFailed(ctx.txId(), ctx.accountId(), t.clientOrderId(), attempt, e.code(),
                    e.delivery(), e.httpStatus(), e.getMessage(), e.rawResponse(), clock.instant()));
            LOG.info("submit {} attempt {} failed: {} ({})", t.clientOrderId(), attempt, e.code(), e.delivery());
            if (e.delivery() == Delivery.AMBIGUOUS && settings.planted(PlantedBug.BLIND_RESUBMIT_ON_TIMEOUT)
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
                sleeper.sleep(retry.delay(attempt, e.retryAfter(), random));
            }
        }
    }

    /**
     * Law 9, at the last step before the wire: a submit leaves Keel only if the account's trading state allows its
     * side. The state is read from the journal at every submit, so a halt journaled by another process (an operator)
     * stops the next order of an operation already running. A refused order fails without reaching the broker.
     */
    private boolean refusedByTradingState(TransactionLedger ledger, OrderTrack t, boolean reducing) {
        if (settings.planted(PlantedBug.IGNORE_TRADING_STATE) || reducing) {
            return false;
        }
        OperationContext ctx = ledger.context();
        AccountStatus status = AccountStatus.of(ledger.journal(), ctx.accountId());
        if (status.state().allowsNew(t.spec().side())) {
            return false;
        }
        ErrorCode code = status.state() == TradingState.HALTED ? ErrorCode.ACCOUNT_HALTED : ErrorCode.ACCOUNT_REDUCING;
        LOG.warn("{} not sent: account {} is {}", t.clientOrderId(), ctx.accountId(), status.state());
        ledger.record(new OrderFailed(ctx.txId(), ctx.accountId(), t.clientOrderId(), OrderState.FAILED, code,
                "not sent: the account is " + status.describe(), t.retryCount(), clock.instant()));
        return true;
    }

    /** {@link PlantedBug#BLIND_RESUBMIT_ON_TIMEOUT}: sends again without asking the broker (breaks law 3). */
    private void blindResubmit(TransactionLedger ledger, OrderTrack t, int attempt) {
        OperationContext ctx = ledger.context();
        try {
            ledger.record(updated(ctx, gateway.submit(t.clientOrderId(), t.spec())));
        } catch (BrokerException e) {
            ledger.record(new OrderAttemptFailed(ctx.txId(), ctx.accountId(), t.clientOrderId(), attempt, e.code(),
                    e.delivery(), e.httpStatus(), e.getMessage(), e.rawResponse(), clock.instant()));
        }
    }

    /** Whether a submit that has failed at least once must not be repeated: {@code giveUpAt} has passed. */
    private boolean late(OrderTrack t, Instant giveUpAt) {
        return giveUpAt != null && t.failedAttempts() > 0 && !clock.instant().isBefore(giveUpAt);
    }

    private void giveUpLate(TransactionLedger ledger, OrderTrack t, Instant giveUpAt) {
        OperationContext ctx = ledger.context();
        ErrorCode code = t.lastError() == null ? ErrorCode.INTERNAL_ERROR : t.lastError();
        ledger.record(new OrderFailed(ctx.txId(), ctx.accountId(), t.clientOrderId(), OrderState.FAILED, code,
                "not working by " + giveUpAt + ", when the protection grace ran out, after " + t.failedAttempts()
                        + " attempt(s): " + t.lastMessage(), t.retryCount(), clock.instant()));
    }

    private void giveUp(TransactionLedger ledger, OrderTrack t) {
        OperationContext ctx = ledger.context();
        ErrorCode code = t.lastError() == null ? ErrorCode.INTERNAL_ERROR : t.lastError();
        ledger.record(new OrderFailed(ctx.txId(), ctx.accountId(), t.clientOrderId(), OrderState.FAILED, code,
                "gave up after " + t.failedAttempts() + " attempts: " + t.lastMessage(), t.retryCount(),
                clock.instant()));
    }

    /**
     * Asks the broker about an UNKNOWN order until it answers: found (adopt it), or not found after the grace
     * period (absent: the same id may be submitted again). Returns false if every lookup failed, or if the broker
     * answered DUPLICATE for the id and then does not find it: it holds the order, so it is not absent.
     */
    private boolean resolve(TransactionLedger ledger, String cid) {
        OperationContext ctx = ledger.context();
        int failures = 0;
        while (true) {
            OrderTrack t = ledger.view().order(cid);
            Instant graceEnds = t.lastAttemptAt() == null ? clock.instant()
                    : t.lastAttemptAt().plus(settings.visibilityGrace());
            boolean afterGrace = !clock.instant().isBefore(graceEnds);
            try {
                Optional<BrokerOrder> found = gateway.lookup(cid);
                if (found.isPresent()) {
                    ledger.record(new OrderLookedUp(ctx.txId(), ctx.accountId(), cid, OrderLookedUp.Outcome.FOUND,
                            afterGrace, null, clock.instant()));
                    ledger.record(updated(ctx, found.get()));
                    return true;
                }
                ledger.record(new OrderLookedUp(ctx.txId(), ctx.accountId(), cid, OrderLookedUp.Outcome.NOT_FOUND,
                        afterGrace, null, clock.instant()));
                if (afterGrace) {
                    if (t.heldByBroker()) {
                        // it answered DUPLICATE: it holds the id its index cannot find; sending it again would be
                        // refused, and calling it absent would be a guess (law 3): the order is left for review
                        LOG.warn("order {} stays UNKNOWN: the broker said it holds the id, but its lookup does not"
                                + " find it", cid);
                        return false;
                    }
                    return true;
                }
                sleeper.sleep(Duration.between(clock.instant(), graceEnds));
            } catch (BrokerException e) {
                if (settings.planted(PlantedBug.FAILED_LOOKUP_AS_NOT_FOUND) && afterGrace) {
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
                sleeper.sleep(retry.delay(failures, e.retryAfter(), random));
            }
        }
    }

    /** Polls until the order is terminal; past the fill timeout, cancels it and records what the broker says. */
    private void awaitFill(TransactionLedger ledger, String cid) {
        OperationContext ctx = ledger.context();
        Duration interval = settings.pollInterval();
        while (true) {
            OrderTrack t = ledger.view().order(cid);
            if (t.state().isTerminal()) {
                return;
            }
            Instant deadline = t.acceptedAt().plus(settings.fillTimeout());
            Instant now = clock.instant();
            if (!now.isBefore(deadline)) {
                cancelUnfilled(ledger, t);
                return;
            }
            Duration wait = interval.compareTo(Duration.between(now, deadline)) < 0 ? interval
                    : Duration.between(now, deadline);
            sleeper.sleep(wait);
            interval = min(interval.multipliedBy(2), settings.maxPollInterval());
            try {
                gateway.lookup(cid).ifPresent(o -> recordIfChanged(ledger, ctx, t, o));
            } catch (BrokerException e) {
                LOG.debug("fill poll of {} failed: {}; polling on until the fill timeout", cid, e.code());
            }
        }
    }

    /**
     * The fill-timeout cancel, with law 3 for cancels as {@link #cancel} keeps it: the request is journaled before it
     * is sent, so a restart knows a cancel may have reached the broker, and a failed one is journaled too.
     */
    private void cancelUnfilled(TransactionLedger ledger, OrderTrack t) {
        OperationContext ctx = ledger.context();
        ledger.record(new OrderCancelRequested(ctx.txId(), ctx.accountId(), t.clientOrderId(), t.brokerOrderId(), 1,
                "not filled within the fill timeout of " + settings.fillTimeout(), clock.instant()));
        try {
            recordIfChanged(ledger, ctx, t, gateway.cancel(t.brokerOrderId()));
        } catch (BrokerException e) {
            ledger.record(new OrderCancelFailed(ctx.txId(), ctx.accountId(), t.clientOrderId(), 1, e.code(),
                    e.delivery(), e.getMessage(), clock.instant()));
            LOG.warn("cancel of unfilled {} failed: {}; asking the broker for its state", t.clientOrderId(), e.code());
        }
        OrderTrack after = ledger.view().order(t.clientOrderId());
        if (after.state().isLive()) {
            try {
                gateway.lookup(t.clientOrderId()).ifPresent(o -> recordIfChanged(ledger, ctx, after, o));
            } catch (BrokerException e) {
                LOG.warn("order {} may still be working at the broker: {}", t.clientOrderId(), e.code());
            }
        }
    }

    private void recordIfChanged(TransactionLedger ledger, OperationContext ctx, OrderTrack t, BrokerOrder o) {
        boolean changed = o.state() != t.state() || o.filledQuantity().compareTo(t.filledQuantity()) != 0
                || !o.brokerOrderId().equals(t.brokerOrderId());
        // A lagging answer may be older than what the journal holds; it is news only if it moves the order forward.
        boolean forward = (o.state() == t.state() || t.state().canMoveTo(o.state()))
                && o.filledQuantity().compareTo(t.filledQuantity()) >= 0;
        if (changed && forward) {
            ledger.record(updated(ctx, o));
        } else if (changed) {
            LOG.debug("ignoring a stale report of {}: {} {} after {} {}", t.clientOrderId(), o.state(),
                    o.filledQuantity(), t.state(), t.filledQuantity());
        }
    }

    private OrderUpdated updated(OperationContext ctx, BrokerOrder o) {
        return new OrderUpdated(ctx.txId(), ctx.accountId(), o.clientOrderId(), o.brokerOrderId(), o.state(),
                o.filledQuantity(), o.filledAvgPrice(), clock.instant());
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
