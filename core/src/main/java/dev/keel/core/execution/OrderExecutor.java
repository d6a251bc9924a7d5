package dev.keel.core.execution;

import dev.keel.core.journal.JournalEvent;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.TradingState;
import dev.keel.core.time.Sleeper;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

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
 *
 * <p>This class is the entry point; the work is done by one package-private class per idea: {@link Intents} (law 1,
 * the one place an intent is journaled), {@link Submissions} (submit, retry, give up), {@link Lookups} (resolve by
 * client order id, laws 3-4), {@link FillWatch} (wait for the fill, cancel at the timeout), {@link OcoPlacement}
 * (pairs the broker holds) and {@link CancelRequests}.
 */
public final class OrderExecutor {
    private final BrokerGateway gateway;
    private final ExecutionSettings settings;
    private final Sleeper sleeper;
    private final Intents intents;
    private final Lookups lookups;
    private final Submissions submissions;
    private final OcoPlacement oco;
    private final CancelRequests cancels;

    public OrderExecutor(BrokerGateway gateway, ExecutionSettings settings, Clock clock, Sleeper sleeper,
                         RandomGenerator random) {
        this(gateway, settings, clock, sleeper, random, dev.keel.core.broker.OrderUpdates.NONE);
    }

    /**
     * As above, with the order states the broker pushes: a fill pushed while the executor waits for one is journaled
     * then, without waiting for the next poll; polling goes on as the fallback.
     */
    public OrderExecutor(BrokerGateway gateway, ExecutionSettings settings, Clock clock, Sleeper sleeper,
                         RandomGenerator random, dev.keel.core.broker.OrderUpdates updates) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        ExecutionKit kit = new ExecutionKit(gateway, settings, Objects.requireNonNull(clock, "clock"), sleeper,
                Objects.requireNonNull(random, "random"), Objects.requireNonNull(updates, "updates"));
        this.intents = new Intents(clock);
        this.lookups = new Lookups(kit);
        this.submissions = new Submissions(kit, lookups, new FillWatch(kit, lookups));
        this.oco = new OcoPlacement(kit, lookups, submissions, intents);
        this.cancels = new CancelRequests(kit, lookups);
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
        String cid = intents.intend(ledger, leg, spec);
        submissions.drive(ledger, cid, true, false, null);
        return OrderResult.of(ledger.view().order(cid), amountUsd);
    }

    /** An order of a transaction by its leg: what {@link #intendAll} journals. */
    public record Leg(String leg, OrderSpec spec) {
    }

    /**
     * Journals {@code first} and the intents of {@code legs} the ledger does not know yet, in one append (law 1 holds:
     * each intent is durable before its submit, which {@link #execute} then makes without journaling it again).
     * Orders decided together (a rebalance's sized buys) so cost one commit, not one each.
     */
    public void intendAll(TransactionLedger ledger, List<? extends JournalEvent> first, List<Leg> legs) {
        List<Intents.Intent> all = new ArrayList<>();
        for (Leg l : legs) {
            all.add(new Intents.Intent(l.leg(), ClientOrderIds.derive(ledger.context().txId(), l.leg()), l.spec()));
        }
        intents.intend(ledger, first, all);
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
        String cid = intents.intend(ledger, leg, spec);
        submissions.drive(ledger, cid, true, true, null);
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
     *                 submit is always made; an UNKNOWN outcome is looked up until then and, still unknown, left
     *                 UNKNOWN (never guessed, law 3) for the caller to give up on by cancelling. No wait goes past it.
     */
    public OrderTrack placeReducing(TransactionLedger ledger, String leg, OrderSpec spec, Instant giveUpAt) {
        return place(ledger, leg, spec, true, giveUpAt);
    }

    private OrderTrack place(TransactionLedger ledger, String leg, OrderSpec spec, boolean reducing,
                             Instant giveUpAt) {
        String cid = intents.intend(ledger, leg, spec);
        submissions.drive(ledger, cid, false, reducing, giveUpAt);
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
        return oco.place(ledger, leg, takeProfit, stopLoss, giveUpAt);
    }

    /**
     * Asks the broker once for an order the ledger tracks and journals what changed. Returns the track afterwards;
     * a failed lookup changes nothing (law 4) and returns it unchanged.
     */
    public OrderTrack refresh(TransactionLedger ledger, String cid) {
        return lookups.refresh(ledger, cid);
    }

    /**
     * Cancels an order the ledger tracks (the ledger of the transaction that placed it), keeping law 3 for cancels:
     * each request is journaled first ({@link OrderCancelRequested}); a failed or ambiguous one is followed by a
     * lookup, because a cancel that timed out may have happened and a refused one usually means the order already
     * ended; a request is repeated as the CANCEL retry policy allows while the order is still working. An order the
     * journal has UNKNOWN is resolved by lookup first; one still INTENDED never reached the broker and is withdrawn.
     */
    public CancelResult cancel(TransactionLedger owner, String cid, String reason) {
        return cancels.cancel(owner, cid, reason);
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
        return cancels.cancelUntracked(order, reason);
    }
}
