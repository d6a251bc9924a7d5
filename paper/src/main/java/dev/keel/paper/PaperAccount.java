package dev.keel.paper;

import dev.keel.core.broker.Broker;
import dev.keel.core.model.Money;
import dev.keel.core.model.Symbol;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One account: cash, holdings, and its orders by both ids. No margin, no shorting. */
final class PaperAccount {
    final String id;
    private BigDecimal cash;
    private final TreeMap<Symbol, BigDecimal> holdings;
    private long ordersCreated;
    private final Map<String, PaperOrder> byClientId = new LinkedHashMap<>();
    private final Map<String, PaperOrder> byId = new LinkedHashMap<>();
    private boolean dirty;
    private java.util.Set<PaperAccount> tracker;

    PaperAccount(String id, BigDecimal cash, Map<Symbol, BigDecimal> holdings, long ordersCreated) {
        this.id = id;
        this.cash = Money.cash(cash);
        this.holdings = new TreeMap<>(holdings);
        this.ordersCreated = ordersCreated;
    }

    BigDecimal cash() {
        return cash;
    }

    Map<Symbol, BigDecimal> holdings() {
        return Map.copyOf(holdings);
    }

    BigDecimal held(Symbol symbol) {
        return holdings.getOrDefault(symbol, BigDecimal.ZERO);
    }

    long ordersCreated() {
        return ordersCreated;
    }

    /** The next order's id: {@code paper-<account>-<n>}. */
    String nextOrderId() {
        ordersCreated++;
        markChanged();
        return "paper-" + id + "-" + ordersCreated;
    }

    void add(PaperOrder order) {
        byClientId.put(order.clientOrderId, order);
        byId.put(order.id, order);
    }

    PaperOrder byClientId(String clientOrderId) {
        return byClientId.get(clientOrderId);
    }

    PaperOrder byId(String brokerOrderId) {
        return byId.get(brokerOrderId);
    }

    Collection<PaperOrder> orders() {
        return byId.values();
    }

    /** Cash minus what open buys (other than {@code except}, may be null, and its OCO twin) hold back. */
    BigDecimal buyingPower(PaperOrder except) {
        BigDecimal reserved = BigDecimal.ZERO;
        for (PaperOrder o : byId.values()) {
            if (!excepted(o, except) && !o.coveredByTwin(twinOf(o))) {
                reserved = reserved.add(o.reservedCash());
            }
        }
        return cash.subtract(reserved);
    }

    /**
     * Shares of {@code symbol} held and not promised to open sells (other than {@code except}, may be null, and its
     * twin).
     */
    BigDecimal sellable(Symbol symbol, PaperOrder except) {
        BigDecimal free = held(symbol);
        for (PaperOrder o : byId.values()) {
            if (!excepted(o, except) && o.spec.symbol().equals(symbol) && !o.coveredByTwin(twinOf(o))) {
                free = free.subtract(o.reservedShares());
            }
        }
        return free;
    }

    /** The order being matched and its OCO twin, which its fill cancels: neither holds anything back from it. */
    private static boolean excepted(PaperOrder order, PaperOrder except) {
        return except != null && (order == except || order.id.equals(except.twinId()));
    }

    private PaperOrder twinOf(PaperOrder order) {
        return order.twinId() == null ? null : byId.get(order.twinId());
    }

    /** Whether a client id is in use, or promised to a leg of a bracket whose entry has not filled yet. */
    boolean clientIdTaken(String clientOrderId) {
        if (byClientId.containsKey(clientOrderId)) {
            return true;
        }
        for (String suffix : List.of(Broker.TAKE_PROFIT_SUFFIX, Broker.STOP_LOSS_SUFFIX)) {
            if (clientOrderId.endsWith(suffix)) {
                PaperOrder entry = byClientId.get(clientOrderId.substring(0, clientOrderId.length() - suffix.length()));
                if (entry != null && entry.exits != null) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Books a fill: a buy pays {@code cost} for {@code quantity} shares, a sell receives it. */
    void settle(boolean buy, Symbol symbol, BigDecimal quantity, BigDecimal cost) {
        cash = buy ? cash.subtract(cost) : cash.add(cost);
        BigDecimal after = Money.qty(buy ? held(symbol).add(quantity) : held(symbol).subtract(quantity));
        if (after.signum() == 0) {
            holdings.remove(symbol);
        } else {
            holdings.put(symbol, after);
        }
        markChanged();
    }

    /** Joins the exchange's set of changed accounts, which a write reads instead of every account. */
    void trackIn(java.util.Set<PaperAccount> changes) {
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

    boolean dirty() {
        return dirty;
    }

    void markDirty() {
        markChanged();
    }

    void saved() {
        dirty = false;
    }
}
