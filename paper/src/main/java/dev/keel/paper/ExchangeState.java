package dev.keel.paper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;
import java.util.TreeMap;

/**
 * Everything the exchange knows, and exactly what {@link StateStore} saves. Not thread-safe: {@link PaperExchange}
 * guards it with its lock.
 */
final class ExchangeState {
    final PaperConfig config;
    final Market market;
    final FaultPlan plan;
    private final TreeMap<String, PaperAccount> accounts = new TreeMap<>();
    private final List<PaperOrder> orders = new ArrayList<>();
    /** Live orders in creation order: the matcher's work list. */
    private final SequencedSet<PaperOrder> live = new LinkedHashSet<>();
    /** Accounts and orders changed since the state was last written (a write no longer scans them all). */
    private final SequencedSet<PaperAccount> changedAccounts = new LinkedHashSet<>();
    private final SequencedSet<PaperOrder> changedOrders = new LinkedHashSet<>();
    private final EnumMap<BrokerCall, Integer> callCounts = new EnumMap<>(BrokerCall.class);
    private final List<FaultRecord> faultsFired = new ArrayList<>();
    private long callNumber;
    /** Time-driven work (steps, delayed fills, closes) has been done up to here. */
    Instant processedUpTo;
    /** The next random-walk step, null when prices are fixed. */
    Instant nextStepAt;
    /** The price path since the exchange was opened (memory only): delayed quotes and bars. */
    final PriceTape tape;

    ExchangeState(PaperConfig config, Market market, FaultPlan plan, Instant processedUpTo, Instant nextStepAt) {
        this.config = config;
        this.market = market;
        this.plan = plan;
        this.processedUpTo = processedUpTo;
        this.nextStepAt = nextStepAt;
        this.tape = new PriceTape(market.mids(), processedUpTo);
    }

    /** A fresh exchange from the config, starting at {@code now}. */
    static ExchangeState fresh(PaperConfig config, Instant now) {
        Market market = new Market(config.prices(), config.spreadBps(), config.volatility(), config.seed());
        // a second stream for fault draws, so adding a probabilistic rule does not move the prices
        FaultPlan plan = new FaultPlan(config.faults(), new SplitMix64(~config.seed()).nextLong());
        Instant firstStep = config.priceMode() == PriceMode.RANDOM_WALK ? stepAfter(config, now) : null;
        return new ExchangeState(config, market, plan, now, firstStep);
    }

    /** The first step time after {@code t}: one step on, or the next open if the market is closed then. */
    static Instant stepAfter(PaperConfig config, Instant t) {
        Instant next = t.plus(config.priceStep());
        return config.marketHours().isOpen(next) ? next : config.marketHours().nextOpen(next);
    }

    /** The account, seeded with the config's cash and positions when first seen. */
    PaperAccount account(String accountId) {
        return accounts.computeIfAbsent(accountId, id -> {
            PaperAccount fresh = new PaperAccount(id, config.startingCash(), config.startingPositions(), 0);
            track(fresh);
            fresh.markDirty();
            return fresh;
        });
    }

    /** Adds a restored account (from the state file). */
    void restore(PaperAccount account) {
        accounts.put(account.id, account);
        track(account);
    }

    /** Tracks the account's changes when there is a state file to write them to (none: nothing to keep). */
    private void track(PaperAccount account) {
        if (config.stateFile() != null) {
            account.trackIn(changedAccounts);
        }
    }

    private void track(PaperOrder order) {
        if (config.stateFile() != null) {
            order.trackIn(changedOrders);
        }
    }

    /** The accounts and orders changed since the last write, in the order they changed; a write saves them. */
    Collection<PaperAccount> changedAccounts() {
        return changedAccounts;
    }

    Collection<PaperOrder> changedOrders() {
        return changedOrders;
    }

    /** Marks every changed account and order saved, after a write took them. */
    void savedChanges() {
        changedAccounts.forEach(PaperAccount::saved);
        changedAccounts.clear();
        changedOrders.forEach(PaperOrder::saved);
        changedOrders.clear();
    }

    Collection<PaperAccount> accounts() {
        return accounts.values();
    }

    /** Adds an order (new or restored) to the log, its account and, if live, the work list. */
    void register(PaperOrder order) {
        orders.add(order);
        track(order);
        PaperAccount account = account(order.accountId);
        account.add(order);
        if (order.parentId != null) {
            account.byId(order.parentId).addLeg(order.id);
        }
        changed(order);
    }

    /** Keeps the work list in step after an order's state changed. */
    void changed(PaperOrder order) {
        if (order.live()) {
            live.add(order);
        } else {
            live.remove(order);
        }
    }

    List<PaperOrder> orders() {
        return orders;
    }

    List<PaperOrder> live() {
        return List.copyOf(live);
    }

    long callNumber() {
        return callNumber;
    }

    /** Counts a call; returns its exchange-wide number. */
    long count(BrokerCall op) {
        callCounts.merge(op, 1, Integer::sum);
        return ++callNumber;
    }

    Map<BrokerCall, Integer> callCounts() {
        return Map.copyOf(callCounts);
    }

    void restoreCounts(Map<BrokerCall, Integer> counts, long calls) {
        callCounts.putAll(counts);
        callNumber = calls;
    }

    void recordFault(FaultRecord record) {
        faultsFired.add(record);
    }

    List<FaultRecord> faultsFired() {
        return faultsFired;
    }
}
