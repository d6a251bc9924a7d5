package dev.keel.core.execution;

import dev.keel.core.broker.Broker;
import dev.keel.core.broker.BrokerException;
import dev.keel.core.broker.Delivery;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.journal.OrderAttemptFailed;
import dev.keel.core.journal.OrderFailed;
import dev.keel.core.journal.OrderLookedUp;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.OrderSpec;
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
 * Placing a one-cancels-other pair the broker holds itself, with laws 1-4 for the pair: both intents journaled in one
 * append, both legs UNKNOWN on an ambiguous answer and each resolved by its own lookup, the pair sent again only when
 * both are proven absent, the stop-loss leg adopted by lookup after the broker answers with the take-profit.
 */
final class OcoPlacement {
    private static final Logger LOG = LoggerFactory.getLogger(OcoPlacement.class);

    private final BrokerGateway gateway;
    private final ExecutionSettings settings;
    private final Clock clock;
    private final Sleeper sleeper;
    private final RandomGenerator random;
    private final Lookups lookups;
    private final Submissions submissions;
    private final Intents intents;

    OcoPlacement(ExecutionKit kit, Lookups lookups, Submissions submissions, Intents intents) {
        this.gateway = kit.gateway();
        this.settings = kit.settings();
        this.clock = kit.clock();
        this.sleeper = kit.sleeper();
        this.random = kit.random();
        this.lookups = lookups;
        this.submissions = submissions;
        this.intents = intents;
    }

    /**
     * Places (or resumes placing) the pair and returns once both legs are resolved, or left UNKNOWN (or the stop leg
     * INTENDED) when the broker could not be asked.
     *
     * @param giveUpAt when a failed submit of the pair is no longer repeated, and UNKNOWN legs no longer looked up
     *                 (left UNKNOWN for the caller to give up on); no wait goes past it; null for the retry policy alone
     */
    OcoTracks place(TransactionLedger ledger, String leg, OrderSpec takeProfit, OrderSpec stopLoss,
                    Instant giveUpAt) {
        OperationContext ctx = ledger.context();
        String tpCid = ClientOrderIds.derive(ctx.txId(), leg);
        String slCid = tpCid + Broker.STOP_LOSS_SUFFIX;
        intents.intend(ledger, List.of(new Intents.Intent(leg, tpCid, takeProfit),
                new Intents.Intent(leg + Broker.STOP_LOSS_SUFFIX, slCid, stopLoss)));
        while (true) {
            OrderTrack tp = ledger.view().order(tpCid);
            OrderTrack sl = ledger.view().order(slCid);
            if (tp.state() == OrderState.UNKNOWN || sl.state() == OrderState.UNKNOWN) {
                boolean pairUnknown = tp.state() == OrderState.UNKNOWN && sl.state() == OrderState.UNKNOWN;
                boolean tpResolved = tp.state() != OrderState.UNKNOWN
                        || lookups.resolve(ledger, tpCid, giveUpAt, false);
                boolean slResolved = sl.state() != OrderState.UNKNOWN
                        || lookups.resolve(ledger, slCid, giveUpAt, false);
                if (!tpResolved || !slResolved) {
                    break; // law 3: left UNKNOWN, never guessed; for review, or past giveUpAt given up by the caller
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
                    submissions.giveUp(ledger, tp);
                    submissions.giveUp(ledger, sl);
                } else if (submissions.late(tp, giveUpAt)) {
                    submissions.giveUpLate(ledger, tp, giveUpAt);
                    submissions.giveUpLate(ledger, sl, giveUpAt);
                } else if (!submissions.refusedByTradingState(ledger, tp, true)) { // an OCO pair exits a held position
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
            ledger.record(lookups.updated(ctx, order));
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
                if (!submissions.waitForBreakerTrial(ledger, tp, e, attempt, giveUpAt)) {
                    OrderTrack failed = ledger.view().order(tp.clientOrderId());
                    ledger.record(new OrderFailed(ctx.txId(), ctx.accountId(), sl.clientOrderId(), OrderState.FAILED,
                            failed.lastError(), failed.lastMessage(), attempt - 1, clock.instant()));
                }
                return;
            }
            OrderState end = e.delivery() == Delivery.REFUSED ? OrderState.REJECTED : OrderState.FAILED;
            boolean retryable = end == OrderState.FAILED && e.code().retryable() && attempt < retry.maxAttempts();
            if (retryable && gateway.tryRetry(Endpoint.SUBMIT)) {
                Waits.sleep(sleeper, clock, retry.delay(attempt, e.retryAfter(), random), giveUpAt);
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
                    ledger.record(lookups.updated(ctx, found.get()));
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
}
