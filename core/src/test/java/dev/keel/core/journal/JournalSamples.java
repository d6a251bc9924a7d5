package dev.keel.core.journal;

import dev.keel.core.broker.Delivery;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.Severity;
import dev.keel.core.marketdata.Trust;
import dev.keel.core.model.Money;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.OrderState;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.PlannedOrder;
import dev.keel.core.model.Position;
import dev.keel.core.model.Side;
import dev.keel.core.model.Symbol;
import dev.keel.core.model.TimeInForce;
import dev.keel.core.model.TradingState;
import dev.keel.core.model.TransactionStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Sample journal events for tests: one of every type, and small transaction builders. */
public final class JournalSamples {
    public static final Instant T0 = Instant.parse("2025-03-03T14:30:00.123456789Z");

    private JournalSamples() {
    }

    /** Starts a rebalance transaction with a two-order plan. */
    public static TransactionStarted started(String txId, String accountId, Instant at) {
        return new TransactionStarted(txId, accountId, "rebalance", "corr-" + txId, List.of(
                new PlannedOrder("sell-VTI", OrderSpec.marketQty(Symbol.of("VTI"), Side.SELL, new BigDecimal("100")),
                        new BigDecimal("27512.50")),
                new PlannedOrder("buy-TLT", OrderSpec.marketNotional(Symbol.of("TLT"), Side.BUY,
                        new BigDecimal("1200.5")), new BigDecimal("1200.50"))),
                new AccountSnapshot(accountId, new BigDecimal("1000.00"), new BigDecimal("1000.00"),
                        List.of(new Position(Symbol.of("VTI"), new BigDecimal("150.5"), new BigDecimal("275.125"))),
                        at),
                new BigDecimal("250.00"), at);
    }

    /** What a plan was computed from: configured targets, one trusted, one degraded and one untrusted quote. */
    public static PlanInputsRecorded planInputs(String txId, String accountId, Instant at) {
        return new PlanInputsRecorded(txId, accountId, "config", java.util.Map.of("TLT", new BigDecimal("0.40"),
                "VTI", new BigDecimal("0.60")), new BigDecimal("0.05"), new BigDecimal("10.00"),
                new BigDecimal("0.01"), List.of(
                new PlanInputsRecorded.Price("GLD", null, Trust.UNTRUSTED, null, null, null, at, null,
                        List.of("live MISSING: could not be asked: QUOTE_MISSING")),
                new PlanInputsRecorded.Price("TLT", "delayed", Trust.DEGRADED, new BigDecimal("89.9910"),
                        new BigDecimal("90.0090"), at.minusSeconds(900), at, new BigDecimal("90.0000"),
                        List.of("live STALE: quote is PT2M old, more than the PT15S allowed")),
                new PlanInputsRecorded.Price("VTI", "live", Trust.TRUSTED, new BigDecimal("274.9725"),
                        new BigDecimal("275.0275"), at, at, new BigDecimal("1E+2"), List.of())), at);
    }

    public static TransactionEnded ended(String txId, String accountId, TransactionStatus status, Instant at) {
        boolean ok = status == TransactionStatus.COMPLETED;
        return new TransactionEnded(txId, accountId, status, ok ? null : ErrorCode.ORDER_REJECTED,
                ok ? null : "buy-TLT rejected", ok ? "all within tolerance" : "TLT not bought", at);
    }

    public static OrderIntentRecorded intent(String txId, String accountId, String leg, Instant at) {
        return new OrderIntentRecorded(txId, accountId, leg, txId + "-" + leg,
                OrderSpec.limit(Symbol.of("BRK.B"), Side.BUY, new BigDecimal("3.500000000"),
                        new BigDecimal("412.1000"), TimeInForce.GTC), at);
    }

    /** An intent for a stop-limit sell, so codecs carry the stop price. */
    public static OrderIntentRecorded stopIntent(String txId, String accountId, String leg, Instant at) {
        return new OrderIntentRecorded(txId, accountId, leg, txId + "-" + leg,
                OrderSpec.stopLimit(Symbol.of("VTI"), Side.SELL, new BigDecimal("10"), new BigDecimal("240.50"),
                        new BigDecimal("239.7500"), TimeInForce.GTC), at);
    }

    /** One event of every concrete type, in an order a real transaction could write them. */
    public static List<JournalEvent> everyType(String txId, String accountId) {
        Instant at = T0;
        String coid = txId + "-buy-TLT";
        return List.of(
                started(txId, accountId, at),
                planInputs(txId, accountId, at),
                intent(txId, accountId, "buy-TLT", at.plusMillis(1)),
                new OrderAttemptFailed(txId, accountId, coid, 1, ErrorCode.BROKER_TIMEOUT, Delivery.AMBIGUOUS, null,
                        "read timed out", null, at.plusMillis(2)),
                new OrderLookedUp(txId, accountId, coid, OrderLookedUp.Outcome.FOUND, true, null, at.plusMillis(3)),
                new OrderUpdated(txId, accountId, coid, "b-77", OrderState.PARTIALLY_FILLED, Money.qty(
                        new BigDecimal("100")), new BigDecimal("90.1000"), at.plusMillis(4)),
                new OrderFailed(txId, accountId, txId + "-buy-GLD", OrderState.REJECTED,
                        ErrorCode.INSUFFICIENT_BUYING_POWER, "insufficient buying power", 0, at.plusMillis(5)),
                new BuysSized(txId, accountId, new BigDecimal("1000.00"), new BigDecimal("0.8333333333"),
                        List.of(new PlannedOrder("buy-TLT", OrderSpec.marketNotional(Symbol.of("TLT"), Side.BUY,
                                new BigDecimal("833.33")), new BigDecimal("833.33"))), at.plusMillis(6)),
                new ReconciliationRecorded(txId, accountId, List.of(new ReconciliationRecorded.Line("TLT",
                        new BigDecimal("0.40"), new BigDecimal("0.3950000000"), new BigDecimal("-0.0050000000"),
                        new BigDecimal("1E+1"), new BigDecimal("901.00"))), true, at.plusMillis(7)),
                new TransactionResumed(txId, accountId, "engine restarted", at.plusMillis(8)),
                ended(txId, accountId, TransactionStatus.PARTIAL, at.plusMillis(9)),
                new LastRebalanceMoved(accountId, txId, LocalDate.of(2025, 3, 3), at.plusMillis(10)),
                new NotificationQueued("n-" + txId, accountId, txId, Severity.HIGH, "Rebalance partial",
                        "TLT not bought: \"insufficient\" \u2014 see log", at.plusMillis(11)),
                new NotificationAttemptFailed("n-" + txId, accountId, "email", 1, "smtp down", at.plusMillis(12)),
                new NotificationDelivered("n-" + txId, accountId, "file", at.plusMillis(13)),
                new NotificationGrouped("n-" + txId, accountId, "slack", "n-0-" + txId, at.plusMillis(13)),
                new NotificationSettled("n-" + txId, accountId, false, at.plusMillis(14)),
                new TradingStateChanged(accountId, TradingState.HALTED, TradingState.ACTIVE, "checked by hand",
                        ErrorCode.RECONCILIATION_MISMATCH, TradingState.Actor.OPERATOR, txId,
                        started(txId, accountId, at).before(), at.plusMillis(15)),
                new BreakerTransitioned("paper", accountId, "submit", "primary", "CLOSED", "OPEN", "failure-rate",
                        60.0, -1.0, at.plusMillis(15)),
                new CallsRefused("paper", accountId, "submit", CallsRefused.Reason.BREAKER_OPEN, 17, at.plusMillis(15),
                        at.plusMillis(16)),
                new CallsDelayed("paper", 3, java.time.Duration.ofMillis(1500), at.plusMillis(16), at.plusMillis(17)),
                new BrokerPaused("paper", accountId, java.time.Duration.ofSeconds(2), at.plusSeconds(2),
                        at.plusMillis(18)),
                new EndpointSwitched("paper", accountId, "reads", "primary", "backup", "primary breaker opened",
                        at.plusMillis(19)),
                new OperationRequested(txId, accountId, dev.keel.core.model.OperationType.BRACKET_ORDER,
                        dev.keel.core.model.OperationParams.bracket(Symbol.of("SPY"), new BigDecimal("10"),
                                new BigDecimal("501.25"), new BigDecimal("480.00"), null, new BigDecimal("530.5"))
                                .withTimeInForce(TimeInForce.GTC), at.plusMillis(20)),
                new OperationStateChanged(txId, accountId, null, dev.keel.core.model.OperationState.PENDING,
                        "requested", at.plusMillis(21)),
                new OrdersLinked(txId, accountId, "protect-1", txId + ":protect-1", txId + ":protect-1:sl", true,
                        at.plusMillis(22)),
                new OrdersUnlinked(txId, accountId, "protect-1", "take-profit filled", at.plusMillis(23)),
                new OrdersWorking(txId, accountId, 1, 0, at.plusMillis(23)),
                new OrderReferenced(txId, accountId, "rb-1:sell-VTI", "b-9", "rb-1",
                        OrderSpec.limit(Symbol.of("VTI"), Side.SELL, new BigDecimal("3"), new BigDecimal("250.10"),
                                TimeInForce.GTC), "cancel", at.plusMillis(24)),
                new OrderOutcomeRecorded(txId, accountId, "rb-1:sell-VTI", "b-9",
                        dev.keel.core.model.OrderOutcome.ALREADY_FILLED, new BigDecimal("3"), null, null,
                        at.plusMillis(25)),
                new DoubleFillDetected(txId, accountId, "protect-1", Symbol.of("SPY"), new BigDecimal("2.5"),
                        txId + ":flatten-1", at.plusMillis(26)),
                new OrderCancelRequested(txId, accountId, coid, "b-77", 1, "bracket rolled back", at.plusMillis(27)),
                new OrderCancelFailed(txId, accountId, coid, 1, ErrorCode.BROKER_TIMEOUT, Delivery.AMBIGUOUS,
                        "timed out", at.plusMillis(28)),
                new AlertRaised("n-" + txId, accountId, "n-" + txId, txId, ErrorCode.ORDER_REJECTED, Severity.HIGH,
                        "Rebalance partial", at.plusMillis(11), at.plusMillis(29)),
                new AlertEscalated("n-" + txId, accountId, 1, List.of("sms"), "n-esc-" + txId, at.plusMillis(30)),
                new AlertAcknowledged("n-" + txId, accountId, "ana", "looking", at.plusMillis(31)),
                new AlertResolved("n-" + txId, accountId, ErrorCode.ORDER_REJECTED, "ana",
                        "replaced DBC with a tradable ticker", at.plusMillis(32)),
                new DeadLetterResolved("evt-" + txId, accountId, ErrorCode.EVENT_INVALID, "ana",
                        "the sender rounds weights to 4 places now", at.plusMillis(33)),
                new ChaosStarted("chaos-" + txId, "submit", "timeout", 0.25, 7L, at.plusSeconds(600), "ana",
                        at.plusMillis(35)),
                new ChaosEnded("chaos-" + txId, "stopped", at.plusMillis(36)));
    }

    /** Every concrete event type that {@link #everyType} has no sample of; empty when complete. */
    public static Set<Class<?>> typesWithoutSample() {
        Set<Class<?>> missing = new HashSet<>(concreteTypes(JournalEvent.class));
        everyType("tx", "acct").forEach(e -> missing.remove(e.getClass()));
        return missing;
    }

    /** The records permitted, directly or through sealed sub-interfaces, by {@code sealed}. */
    public static List<Class<?>> concreteTypes(Class<?> sealed) {
        List<Class<?>> types = new ArrayList<>();
        for (Class<?> permitted : sealed.getPermittedSubclasses()) {
            if (permitted.isSealed()) {
                types.addAll(concreteTypes(permitted));
            } else {
                types.add(permitted);
            }
        }
        return types;
    }
}
