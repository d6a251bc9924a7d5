package dev.keel.paper;

import dev.keel.core.model.OrderClass;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.OrderState;
import dev.keel.core.model.OrderType;
import dev.keel.core.model.Side;
import dev.keel.core.model.Symbol;
import dev.keel.core.model.TimeInForce;
import dev.keel.core.time.IsoInstants;
import dev.keel.paper.ExchangeOrderLogEntry.Fill;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Saves the exchange's whole state to a SQLite file (WAL, synchronous=FULL), each call's changes in one transaction
 * (shared with the calls that wrote meanwhile: group commit), so a killed process leaves either the state before a
 * call or the state after it, and every change an answer showed is durable before that answer. Saves are
 * incremental: the orders and accounts that changed, the fills they gained, the faults fired since the last save,
 * and the rows of the small tables whose values changed.
 */
final class StateStore implements AutoCloseable {
    static final int SCHEMA_VERSION = 1;
    private static final List<String> SCHEMA = List.of(
            "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS accounts (id TEXT PRIMARY KEY, cash TEXT NOT NULL,"
                    + " orders_created INTEGER NOT NULL)",
            "CREATE TABLE IF NOT EXISTS holdings (account TEXT NOT NULL, symbol TEXT NOT NULL,"
                    + " quantity TEXT NOT NULL, PRIMARY KEY (account, symbol))",
            "CREATE TABLE IF NOT EXISTS orders (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
                    + " client_order_id TEXT NOT NULL, account TEXT NOT NULL, symbol TEXT NOT NULL, side TEXT NOT NULL,"
                    + " type TEXT NOT NULL, quantity TEXT, notional TEXT, limit_price TEXT, time_in_force TEXT NOT NULL,"
                    + " fraction TEXT NOT NULL, eligible_at TEXT NOT NULL, reserve_price TEXT NOT NULL,"
                    + " created_at TEXT NOT NULL, state TEXT NOT NULL, matched INTEGER NOT NULL,"
                    + " updated_at TEXT NOT NULL)",
            // stops and order classes came later: a table of their own keeps older state files readable
            "CREATE TABLE IF NOT EXISTS order_links (order_seq INTEGER PRIMARY KEY, stop_price TEXT,"
                    + " triggered INTEGER NOT NULL, order_class TEXT NOT NULL, parent_id TEXT, twin_id TEXT,"
                    + " take_profit_limit TEXT, stop_loss_stop TEXT, stop_loss_limit TEXT)",
            "CREATE TABLE IF NOT EXISTS fills (order_seq INTEGER NOT NULL, n INTEGER NOT NULL, quantity TEXT NOT NULL,"
                    + " price TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (order_seq, n))",
            "CREATE TABLE IF NOT EXISTS prices (symbol TEXT PRIMARY KEY, mid TEXT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS call_counts (op TEXT PRIMARY KEY, n INTEGER NOT NULL)",
            "CREATE TABLE IF NOT EXISTS fault_counters (rule INTEGER PRIMARY KEY, rule_text TEXT NOT NULL,"
                    + " matched INTEGER NOT NULL, fired INTEGER NOT NULL)",
            "CREATE TABLE IF NOT EXISTS faults_fired (seq INTEGER PRIMARY KEY, call_number INTEGER NOT NULL,"
                    + " at TEXT NOT NULL, op TEXT NOT NULL, account TEXT NOT NULL, rule INTEGER NOT NULL,"
                    + " kind TEXT NOT NULL, symbol TEXT)");

    private final Path file;
    private final Connection connection;
    private final StateWriter writer;
    private int savedFaults;
    /**
     * Writes made by {@link #write}, and the last of them that changed what an answer can show; both under the
     * exchange's lock.
     */
    private long written;
    private long lastRevealing;
    private volatile long committed;
    /** The writes a failed commit rolled back, or null. */
    private volatile Lost lost;
    /** Statements of the writes not committed yet, in write order, and the number of the last; guarded by itself. */
    private final List<StateWriter.Op> pending = new ArrayList<>();
    /** Where each small-table row's op is in {@link #pending}: a read that only counts adds no op to it. */
    private final Map<String, Integer> pendingRows = new HashMap<>();
    private long pendingUpTo;
    /** Guards {@link #committing}: whether a caller leads a commit now, the one that uses the connection. */
    private final Object commits = new Object();
    private boolean committing;
    private boolean closed;

    private final StateLock lock;

    private StateStore(Path file, Connection connection, StateLock lock) {
        this.file = file;
        this.connection = connection;
        this.lock = lock;
        this.writer = new StateWriter(connection);
    }

    /**
     * Opens (creating if need be) the state file, as its only owner: a second owner is refused
     * ({@link StateLock}).
     */
    static StateStore open(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("paper exchange cannot create the folder of its state file " + file, e);
        }
        StateLock lock = StateLock.acquire(file);
        try {
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                for (String ddl : SCHEMA) {
                    s.execute(ddl);
                }
            }
            c.setAutoCommit(false);
            c.commit();
            return new StateStore(file, c, lock);
        } catch (SQLException | RuntimeException e) {
            lock.close();
            throw e instanceof RuntimeException r ? r
                    : new IllegalStateException("paper exchange cannot open its state file " + file, e);
        }
    }

    /** The saved state, or null when the file holds none yet. */
    ExchangeState load(PaperConfig config) {
        try {
            Map<String, String> meta = readMeta();
            if (meta.isEmpty()) {
                return null;
            }
            int version = Integer.parseInt(meta.get("schema_version"));
            if (version != SCHEMA_VERSION) {
                throw new IllegalStateException("paper state file " + file + " has schema version " + version
                        + ", this exchange reads " + SCHEMA_VERSION);
            }
            ExchangeState state = shell(config, meta, readPrices());
            readFaultCounters(state.plan);
            readAccounts(state);
            readOrders(state);
            readCounts(state, Long.parseLong(meta.get("call_number")));
            readFaultsFired(state);
            savedFaults = state.faultsFired().size();
            return state;
        } catch (SQLException e) {
            throw new IllegalStateException("paper exchange cannot read its state file " + file, e);
        }
    }

    /** The state's frame (prices, generators, time) before accounts and orders are added. */
    private static ExchangeState shell(PaperConfig config, Map<String, String> meta, Map<Symbol, BigDecimal> saved) {
        Map<Symbol, BigDecimal> mids = new TreeMap<>(config.prices());
        mids.putAll(saved); // saved prices win; symbols new in the config join at their configured price
        Market market = new Market(mids, config.spreadBps(), config.volatility(),
                Long.parseLong(meta.get("price_random")));
        FaultPlan plan = new FaultPlan(config.faults(), Long.parseLong(meta.get("fault_random")));
        Instant processed = IsoInstants.parse(meta.get("processed_up_to"));
        Instant nextStep = null;
        if (config.priceMode() == PriceMode.RANDOM_WALK) {
            String step = meta.get("next_step_at");
            nextStep = step == null ? ExchangeState.stepAfter(config, processed) : IsoInstants.parse(step);
        }
        return new ExchangeState(config, market, plan, processed, nextStep);
    }

    private Map<String, String> readMeta() throws SQLException {
        Map<String, String> meta = new HashMap<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT key, value FROM meta")) {
            while (rs.next()) {
                meta.put(rs.getString(1), rs.getString(2));
            }
        }
        return meta;
    }

    private Map<Symbol, BigDecimal> readPrices() throws SQLException {
        Map<Symbol, BigDecimal> prices = new TreeMap<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT symbol, mid FROM prices")) {
            while (rs.next()) {
                prices.put(Symbol.of(rs.getString(1)), new BigDecimal(rs.getString(2)));
            }
        }
        return prices;
    }

    private void readFaultCounters(FaultPlan plan) throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT rule, rule_text, matched, fired FROM fault_counters")) {
            while (rs.next()) {
                int rule = rs.getInt(1);
                // counters carry over only to the same rule at the same place; an edited plan starts afresh
                if (rule < plan.rules().size() && plan.rules().get(rule).toString().equals(rs.getString(2))) {
                    plan.restore(rule, rs.getInt(3), rs.getInt(4));
                }
            }
        }
    }

    private void readAccounts(ExchangeState state) throws SQLException {
        Map<String, Map<Symbol, BigDecimal>> holdings = new HashMap<>();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT account, symbol, quantity FROM holdings")) {
            while (rs.next()) {
                holdings.computeIfAbsent(rs.getString(1), a -> new TreeMap<>())
                        .put(Symbol.of(rs.getString(2)), new BigDecimal(rs.getString(3)));
            }
        }
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, cash, orders_created FROM accounts ORDER BY id")) {
            while (rs.next()) {
                String id = rs.getString(1);
                state.restore(new PaperAccount(id, new BigDecimal(rs.getString(2)),
                        holdings.getOrDefault(id, Map.of()), rs.getLong(3)));
            }
        }
    }

    private void readOrders(ExchangeState state) throws SQLException {
        Map<Long, List<Fill>> fills = new HashMap<>();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT order_seq, quantity, price, at FROM fills ORDER BY order_seq, n")) {
            while (rs.next()) {
                fills.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new Fill(
                        new BigDecimal(rs.getString(2)), new BigDecimal(rs.getString(3)),
                        IsoInstants.parse(rs.getString(4))));
            }
        }
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT seq, id, client_order_id, account, symbol, side, type, quantity,"
                     + " notional, limit_price, time_in_force, fraction, eligible_at, reserve_price, created_at, state,"
                     + " matched, updated_at, l.stop_price, l.triggered, l.order_class, l.parent_id, l.twin_id,"
                     + " l.take_profit_limit, l.stop_loss_stop, l.stop_loss_limit"
                     + " FROM orders LEFT JOIN order_links l ON l.order_seq = seq ORDER BY seq")) {
            while (rs.next()) {
                long seq = rs.getLong(1);
                OrderSpec spec = new OrderSpec(Symbol.of(rs.getString(5)), Side.valueOf(rs.getString(6)),
                        OrderType.valueOf(rs.getString(7)), decimal(rs.getString(8)), decimal(rs.getString(9)),
                        decimal(rs.getString(10)), TimeInForce.valueOf(rs.getString(11)), decimal(rs.getString(19)));
                String orderClass = rs.getString(21);
                String takeProfit = rs.getString(24);
                BracketExits exits = takeProfit == null ? null : new BracketExits(new BigDecimal(takeProfit),
                        new BigDecimal(rs.getString(25)), decimal(rs.getString(26)));
                state.register(new PaperOrder(seq, rs.getString(2), rs.getString(3), rs.getString(4), spec,
                        new BigDecimal(rs.getString(12)), IsoInstants.parse(rs.getString(13)),
                        new BigDecimal(rs.getString(14)), IsoInstants.parse(rs.getString(15)),
                        OrderState.valueOf(rs.getString(16)), rs.getInt(17) != 0, fills.getOrDefault(seq, List.of()),
                        IsoInstants.parse(rs.getString(18)),
                        orderClass == null ? OrderClass.SIMPLE : OrderClass.valueOf(orderClass), rs.getString(22),
                        rs.getString(23), exits, rs.getInt(20) != 0));
            }
        }
    }

    private void readCounts(ExchangeState state, long callNumber) throws SQLException {
        Map<BrokerCall, Integer> counts = new EnumMap<>(BrokerCall.class);
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT op, n FROM call_counts")) {
            while (rs.next()) {
                counts.put(BrokerCall.parse(rs.getString(1)), rs.getInt(2));
            }
        }
        state.restoreCounts(counts, callNumber);
    }

    private void readFaultsFired(ExchangeState state) throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT call_number, at, op, account, rule, kind, symbol FROM faults_fired"
                     + " ORDER BY seq")) {
            while (rs.next()) {
                String symbol = rs.getString(7);
                state.recordFault(new FaultRecord(rs.getLong(1), IsoInstants.parse(rs.getString(2)),
                        BrokerCall.parse(rs.getString(3)), rs.getString(4), rs.getInt(5),
                        FaultKind.parse(rs.getString(6)), symbol == null ? null : Symbol.of(symbol)));
            }
        }
    }

    private static BigDecimal decimal(String text) {
        return text == null ? null : new BigDecimal(text);
    }

    /**
     * Collects what changed since the last write, without touching the database, and returns the number of the write
     * the caller's answer must wait for ({@link #durable}): its own, or, when it changed nothing an answer can show
     * (a read that only moved the counters), the last write before it that did, so that no answer shows a state that
     * a kill could still undo. The caller holds the exchange's lock, so writes are numbered and queued in call order.
     */
    long write(ExchangeState state) {
        StateWriter.Collected collected = writer.collect(state, savedFaults);
        savedFaults = state.faultsFired().size();
        state.savedChanges();
        long number = ++written;
        synchronized (pending) {
            for (StateWriter.Op op : collected.ops()) {
                Integer earlier = op.row() == null ? null : pendingRows.putIfAbsent(op.row(), pending.size());
                if (earlier != null) {
                    pending.set(earlier, op); // small-table rows stand alone: only the latest value need be written
                } else {
                    pending.add(op);
                }
            }
            pendingUpTo = number;
        }
        if (collected.reveals()) {
            lastRevealing = number;
        }
        return lastRevealing;
    }

    /**
     * Returns once write {@code number} is committed: group commit, one commit makes every write queued before it
     * durable, so the callers that wrote while another committed share the next commit instead of taking one each.
     * Called without the exchange's lock, which the commit does not hold either: calls go on while SQLite syncs.
     *
     * @param state        the exchange's state, rewritten whole after a failed commit
     * @param exchangeLock runs its argument under the exchange's lock
     * @throws IllegalStateException when the commit that held this write failed
     */
    void durable(long number, ExchangeState state, Consumer<Runnable> exchangeLock) {
        if (committed >= number) {
            return;
        }
        if (lead(number)) {
            try {
                commitPending(state, exchangeLock);
            } finally {
                stepDown();
            }
        }
        throwIfFailed(number);
    }

    /**
     * Waits until write {@code number} is committed or failed (false), or until no commit runs, and then leads the
     * next (true). Waiters are woken together when a commit ends: none waits through a commit it did not need, as
     * a queue of callers on a monitor held through the commit would, each entering it in turn.
     */
    private boolean lead(long number) {
        boolean interrupted = false;
        try {
            synchronized (commits) {
                while (committed < number && !failedFor(number)) {
                    if (!committing) {
                        committing = true;
                        return true;
                    }
                    try {
                        commits.wait();
                    } catch (InterruptedException e) {
                        interrupted = true; // the write is queued: its caller must learn whether it is durable
                    }
                }
                return false;
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void stepDown() {
        synchronized (commits) {
            committing = false;
            commits.notifyAll();
        }
    }

    /** Runs and commits every write queued so far; only the caller leading the commit ({@link #lead}) gets here. */
    private void commitPending(ExchangeState state, Consumer<Runnable> exchangeLock) {
        List<StateWriter.Op> ops;
        long upTo;
        synchronized (pending) {
            ops = new ArrayList<>(pending);
            pending.clear();
            pendingRows.clear();
            upTo = pendingUpTo;
        }
        if (committed >= upTo) {
            return;
        }
        if (closed) {
            lost = new Lost(upTo, new SQLException("the state file is closed"));
            return;
        }
        try {
            writer.apply(ops);
            connection.commit();
            committed = upTo;
        } catch (SQLException e) {
            rollBack(state, exchangeLock, upTo, e);
        }
    }

    /**
     * Undoes a failed write or commit: the writes it held fail, and the whole state is queued to be written again
     * (under the exchange's lock, so it replaces every write queued meanwhile and the next commit holds them all).
     */
    private void rollBack(ExchangeState state, Consumer<Runnable> exchangeLock, long upTo, SQLException e) {
        try {
            connection.rollback();
        } catch (SQLException suppressed) {
            e.addSuppressed(suppressed);
        }
        lost = new Lost(upTo, e);
        exchangeLock.accept(() -> {
            savedFaults = 0;
            writer.forget();
            state.orders().forEach(PaperOrder::markNew);
            state.accounts().forEach(PaperAccount::markDirty);
            synchronized (pending) {
                pending.clear();
                pendingRows.clear();
            }
            write(state);
            lastRevealing = written; // the whole state: what every later answer waits for
        });
    }

    private boolean failedFor(long number) {
        Lost l = lost;
        return l != null && number > committed && number <= l.upTo();
    }

    private void throwIfFailed(long number) {
        if (failedFor(number)) {
            throw failure(lost.cause());
        }
    }

    private IllegalStateException failure(SQLException cause) {
        return new IllegalStateException("paper exchange cannot save its state to " + file, cause);
    }

    /** Writes up to {@code upTo} were rolled back, for {@code cause}. */
    private record Lost(long upTo, SQLException cause) {
    }

    /** Commits the writes whose callers are still on their way to the commit, and closes the file. */
    void close(ExchangeState state, Consumer<Runnable> exchangeLock) {
        if (lead(Long.MAX_VALUE)) {
            try {
                if (!closed) {
                    commitPending(state, exchangeLock);
                }
            } finally {
                stepDown();
            }
        }
        close();
    }

    @Override
    public void close() {
        if (!lead(Long.MAX_VALUE)) {
            return;
        }
        try (lock) {
            if (!closed) {
                closed = true;
                connection.close();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("paper exchange cannot close its state file " + file, e);
        } finally {
            stepDown();
        }
    }
}
