package dev.keel.paper;

import dev.keel.core.model.BrokerOrder;
import dev.keel.core.broker.Broker;
import dev.keel.core.model.Money;
import dev.keel.core.model.OrderClass;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.OrderState;
import dev.keel.core.model.OrderType;
import dev.keel.core.model.Side;
import dev.keel.paper.ExchangeOrderLogEntry.Fill;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An order inside the exchange. It is matched at most once (there is no modelled liquidity): that one attempt fills
 * {@code fraction} of it (1 = all, 0 = a no-fill order that is never matched) once the time reaches
 * {@code eligibleAt} and, for a limit order, the price is marketable. A stop order is matched only once triggered.
 * An OCO member names its {@code twinId}, a bracket leg its entry as {@code parentId}.
 */
final class PaperOrder {
    final long seq;
    final String id;
    final String clientOrderId;
    final String accountId;
    final OrderSpec spec;
    final BigDecimal fraction;
    final Instant eligibleAt;
    /** The ask (buy) or bid (sell) at acceptance: what open market orders reserve at. */
    final BigDecimal reservePrice;
    final Instant createdAt;
    private OrderState state;
    private boolean matched;
    private final List<Fill> fills;
    private Instant updatedAt;
    private boolean dirty;
    private java.util.Set<PaperOrder> tracker;
    final OrderClass orderClass;
    /** The order this one is a leg of (OCO take-profit, bracket entry), or null. */
    final String parentId;
    /** The other member of its OCO pair, or null. */
    private String twinId;
    /** What a bracket entry creates once it fills; null otherwise. */
    final BracketExits exits;
    private boolean triggered;
    private final List<String> legIds = new ArrayList<>();

    PaperOrder(long seq, String id, String clientOrderId, String accountId, OrderSpec spec, BigDecimal fraction,
               Instant eligibleAt, BigDecimal reservePrice, Instant createdAt, OrderState state, boolean matched,
               List<Fill> fills, Instant updatedAt, OrderClass orderClass, String parentId, String twinId,
               BracketExits exits, boolean triggered) {
        this.seq = seq;
        this.id = id;
        this.clientOrderId = clientOrderId;
        this.accountId = accountId;
        this.spec = spec;
        this.fraction = fraction;
        this.eligibleAt = eligibleAt;
        this.reservePrice = reservePrice;
        this.createdAt = createdAt;
        this.state = state;
        this.matched = matched;
        this.fills = new ArrayList<>(fills);
        this.updatedAt = updatedAt;
        this.orderClass = orderClass;
        this.parentId = parentId;
        this.twinId = twinId;
        this.exits = exits;
        this.triggered = triggered;
    }

    String twinId() {
        return twinId;
    }

    void pairWith(String otherId) {
        twinId = otherId;
        markChanged();
    }

    List<String> legIds() {
        return List.copyOf(legIds);
    }

    void addLeg(String legId) {
        legIds.add(legId);
    }

    boolean stop() {
        return spec.type() == OrderType.STOP || spec.type() == OrderType.STOP_LIMIT;
    }

    /** Whether it trades now: a stop only once its stop price has been crossed. */
    boolean active() {
        return !stop() || triggered;
    }

    boolean triggered() {
        return triggered;
    }

    void trigger(Instant at) {
        triggered = true;
        touch(at);
    }

    /** The order as it trades: a triggered stop is a market order, a stop-limit a limit order. */
    OrderSpec trading() {
        return spec.triggered();
    }

    /** The stop-loss leg of an OCO pair whose twin is live: the twin holds back what both would sell or buy. */
    boolean coveredByTwin(PaperOrder twin) {
        return twin != null && twin.live() && clientOrderId.endsWith(Broker.STOP_LOSS_SUFFIX);
    }

    OrderState state() {
        return state;
    }

    boolean matched() {
        return matched;
    }

    List<Fill> fills() {
        return List.copyOf(fills);
    }

    Instant updatedAt() {
        return updatedAt;
    }

    boolean live() {
        return state.isLive();
    }

    boolean buy() {
        return spec.side() == Side.BUY;
    }

    /** Whether the matcher should try it at {@code at}. */
    boolean awaitingMatch(Instant at) {
        return live() && !matched && fraction.signum() > 0 && !at.isBefore(eligibleAt);
    }

    void moveTo(OrderState next, Instant at) {
        state = state.moveTo(next);
        touch(at);
    }

    void fill(Fill fill) {
        fills.add(fill);
        touch(fill.at());
    }

    void markMatched(Instant at) {
        matched = true;
        touch(at);
    }

    private void touch(Instant at) {
        updatedAt = at;
        markChanged();
    }

    /** Joins the exchange's set of changed orders, which a write reads instead of every order. */
    void trackIn(java.util.Set<PaperOrder> changes) {
        tracker = changes;
        if (dirty) {
            changes.add(this);
        }
    }

    private void markChanged() {
        dirty = true;
        if (tracker != null) {
            tracker.add(this);
        }
    }

    /** Whether it changed since {@link #saved()}; a new order starts changed. */
    boolean dirty() {
        return dirty;
    }

    void saved() {
        dirty = false;
    }

    void markNew() {
        markChanged();
    }

    BigDecimal filledQuantity() {
        BigDecimal total = BigDecimal.ZERO;
        for (Fill f : fills) {
            total = total.add(f.quantity());
        }
        return Money.qty(total);
    }

    BigDecimal filledNotional() {
        BigDecimal total = BigDecimal.ZERO;
        for (Fill f : fills) {
            total = total.add(f.quantity().multiply(f.price()));
        }
        return total;
    }

    BigDecimal avgPrice() {
        BigDecimal qty = filledQuantity();
        return qty.signum() == 0 ? null : Money.price(filledNotional().divide(qty, 10, RoundingMode.HALF_EVEN));
    }

    /** Cash an open buy holds back from buying power: what its unfilled rest could cost. */
    BigDecimal reservedCash() {
        if (!live() || !buy()) {
            return BigDecimal.ZERO;
        }
        if (spec.byNotional()) {
            return spec.notional().subtract(filledNotional()).max(BigDecimal.ZERO);
        }
        BigDecimal price = spec.limitPrice() != null ? spec.limitPrice()
                : spec.stopPrice() != null ? spec.stopPrice().max(reservePrice) : reservePrice;
        return spec.quantity().subtract(filledQuantity()).multiply(price);
    }

    /** Shares an open sell holds back from what may be sold. */
    BigDecimal reservedShares() {
        if (!live() || buy()) {
            return BigDecimal.ZERO;
        }
        if (spec.byNotional()) {
            BigDecimal rest = spec.notional().subtract(filledNotional()).max(BigDecimal.ZERO);
            return rest.divide(reservePrice, Money.QTY_SCALE, RoundingMode.UP);
        }
        return spec.quantity().subtract(filledQuantity());
    }

    BrokerOrder toBrokerOrder() {
        return new BrokerOrder(id, clientOrderId, spec, state, filledQuantity(), avgPrice(), createdAt, updatedAt);
    }

    ExchangeOrderLogEntry toLogEntry() {
        return new ExchangeOrderLogEntry(id, clientOrderId, accountId, spec, state, filledQuantity(), avgPrice(),
                fills, createdAt, updatedAt, orderClass, parentId, twinId, legIds);
    }
}
