package dev.keel.paper;

import dev.keel.core.model.Symbol;
import dev.keel.core.time.IsoInstants;
import dev.keel.paper.ExchangeOrderLogEntry.Fill;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The write half of {@link StateStore}. {@link #collect} turns what changed into statements with their values, under
 * the exchange's lock and without touching the database; {@link #apply} runs them later, inside the committer's
 * transaction, so the exchange's lock is not held while SQLite writes and syncs.
 */
final class StateWriter {
    private final Connection connection;
    /**
     * Each statement prepared once and kept: a save runs a dozen of them, under the exchange's lock, and SQLite
     * compiles a statement anew on every prepare. They live as long as the connection (closed with it).
     */
    private final Map<String, PreparedStatement> prepared = new HashMap<>();

    StateWriter(Connection connection) {
        this.connection = connection;
    }

    /**
     * One statement of a write, with its values taken when the write was collected.
     *
     * @param row the small-table row it sets (a later op of the same row makes it moot), or null
     */
    record Op(String row, String sql, Object[] params) {
    }

    /**
     * The statements of one write, and whether any of them changes what an answer can show (an account, an order, a
     * price, a fault fired) rather than bookkeeping alone (the call and fault counters, the clock's progress).
     */
    record Collected(List<Op> ops, boolean reveals) {
    }

    /** The statements of the write being collected. */
    private List<Op> ops;
    private boolean reveals;
    /**
     * The values last collected for each row of the small tables (meta, prices, call counts, fault counters), so a
     * write holds only the rows that changed; forgotten after a failed commit, when the next write is whole.
     */
    private final Map<String, List<Object>> lastRows = new HashMap<>();

    /** The statements that write what changed since the last write; the caller holds the exchange's lock. */
    Collected collect(ExchangeState state, int savedFaults) {
        ops = new ArrayList<>();
        reveals = false;
        writeMeta(state);
        for (PaperAccount account : state.changedAccounts()) {
            reveals = true;
            writeAccount(account);
        }
        for (PaperOrder order : state.changedOrders()) {
            reveals = true;
            writeOrder(order);
        }
        for (Map.Entry<Symbol, BigDecimal> e : state.market.mids().entrySet()) {
            reveals |= changed("price:" + e.getKey().value(), "INSERT OR REPLACE INTO prices (symbol, mid) VALUES (?, ?)",
                    e.getKey().value(), e.getValue().toString());
        }
        for (Map.Entry<BrokerCall, Integer> e : state.callCounts().entrySet()) {
            changed("count:" + e.getKey().wire(), "INSERT OR REPLACE INTO call_counts (op, n) VALUES (?, ?)",
                    e.getKey().wire(), e.getValue());
        }
        writeFaults(state, savedFaults);
        Collected collected = new Collected(ops, reveals);
        ops = null;
        return collected;
    }

    /** Forgets what was last written: the next write is whole (after a commit that failed). */
    void forget() {
        lastRows.clear();
    }

    /** Collects a row of a small table unless it holds the values last collected for it; true if collected. */
    private boolean changed(String row, String sql, Object... params) {
        List<Object> values = java.util.Arrays.asList(params);
        if (values.equals(lastRows.get(row))) {
            return false;
        }
        lastRows.put(row, values);
        ops.add(new Op(row, sql, params));
        return true;
    }

    /** Runs collected statements, in order, in the open transaction; the caller commits. */
    void apply(List<Op> collected) throws SQLException {
        for (Op op : collected) {
            PreparedStatement ps = prepared.get(op.sql());
            if (ps == null) {
                ps = connection.prepareStatement(op.sql());
                prepared.put(op.sql(), ps);
            }
            for (int i = 0; i < op.params().length; i++) {
                ps.setObject(i + 1, op.params()[i]);
            }
            ps.executeUpdate();
        }
    }

    private void writeMeta(ExchangeState state) {
        meta("schema_version", Integer.toString(StateStore.SCHEMA_VERSION));
        meta("price_random", Long.toString(state.market.randomState()));
        meta("fault_random", Long.toString(state.plan.randomState()));
        meta("processed_up_to", text(state.processedUpTo));
        meta("call_number", Long.toString(state.callNumber()));
        if (state.nextStepAt == null) {
            changed("meta:next_step_at", "DELETE FROM meta WHERE key = 'next_step_at'");
        } else {
            meta("next_step_at", text(state.nextStepAt));
        }
    }

    private void meta(String key, String value) {
        changed("meta:" + key, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", key, value);
    }

    private void writeAccount(PaperAccount account) {
        execute("INSERT OR REPLACE INTO accounts (id, cash, orders_created) VALUES (?, ?, ?)", account.id,
                account.cash().toString(), account.ordersCreated());
        execute("DELETE FROM holdings WHERE account = ?", account.id);
        for (Map.Entry<Symbol, BigDecimal> e : account.holdings().entrySet()) {
            execute("INSERT INTO holdings (account, symbol, quantity) VALUES (?, ?, ?)", account.id,
                    e.getKey().value(), e.getValue().toString());
        }
    }

    private void writeOrder(PaperOrder o) {
        execute("INSERT OR REPLACE INTO orders (seq, id, client_order_id, account, symbol, side, type, quantity,"
                        + " notional, limit_price, time_in_force, fraction, eligible_at, reserve_price, created_at, state,"
                        + " matched, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                o.seq, o.id, o.clientOrderId, o.accountId, o.spec.symbol().value(), o.spec.side().name(),
                o.spec.type().name(), text(o.spec.quantity()), text(o.spec.notional()), text(o.spec.limitPrice()),
                o.spec.timeInForce().name(), o.fraction.toString(), text(o.eligibleAt),
                o.reservePrice.toString(), text(o.createdAt), o.state().name(), o.matched() ? 1 : 0,
                text(o.updatedAt()));
        BracketExits exits = o.exits;
        execute("INSERT OR REPLACE INTO order_links (order_seq, stop_price, triggered, order_class, parent_id, twin_id,"
                        + " take_profit_limit, stop_loss_stop, stop_loss_limit) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                o.seq, text(o.spec.stopPrice()), o.triggered() ? 1 : 0, o.orderClass.name(), o.parentId, o.twinId(),
                exits == null ? null : text(exits.takeProfitLimit()), exits == null ? null : text(exits.stopLossStop()),
                exits == null ? null : text(exits.stopLossLimit()));
        List<Fill> fills = o.fills();
        for (int n = 0; n < fills.size(); n++) {
            Fill f = fills.get(n);
            // fills only ever append, so the ones already saved are left alone
            execute("INSERT OR IGNORE INTO fills (order_seq, n, quantity, price, at) VALUES (?, ?, ?, ?, ?)", o.seq, n,
                    f.quantity().toString(), f.price().toString(), text(f.at()));
        }
    }

    private void writeFaults(ExchangeState state, int savedFaults) {
        FaultPlan plan = state.plan;
        // rules of an earlier configuration beyond this one's: once per file opened (and after a failed commit)
        changed("fault_counters:rules", "DELETE FROM fault_counters WHERE rule >= ?", plan.rules().size());
        for (int i = 0; i < plan.rules().size(); i++) {
            changed("fault_counters:" + i, "INSERT OR REPLACE INTO fault_counters (rule, rule_text, matched, fired)"
                    + " VALUES (?, ?, ?, ?)", i, plan.rules().get(i).toString(), plan.matched(i), plan.fired(i));
        }
        List<FaultRecord> fired = state.faultsFired();
        reveals |= fired.size() > savedFaults;
        for (int i = savedFaults; i < fired.size(); i++) {
            FaultRecord r = fired.get(i);
            execute("INSERT OR REPLACE INTO faults_fired (seq, call_number, at, op, account, rule, kind, symbol)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", i, r.callNumber(), text(r.at()), r.op().wire(),
                    r.accountId(), r.ruleIndex(), r.kind().wire(), r.symbol() == null ? null : r.symbol().value());
        }
    }

    /**
     * As {@link Instant#toString} writes it ({@link IsoInstants#format}: the same text without the general formatter,
     * a few thousand of them per recovery of 1,000 accounts); {@link IsoInstants#parse} reads it back.
     */
    private static String text(Instant at) {
        return IsoInstants.format(at, false);
    }

    /** {@code toString} round-trips exactly through {@code new BigDecimal(String)}, scale included. */
    private static String text(BigDecimal value) {
        return value == null ? null : value.toString();
    }

    private void execute(String sql, Object... params) {
        ops.add(new Op(null, sql, params));
    }
}
