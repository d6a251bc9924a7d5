package dev.keel.store;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.events.DeadLetter;
import dev.keel.core.events.DeadLetters;
import dev.keel.core.events.Delivery;
import dev.keel.core.events.EventSource;
import dev.keel.core.events.Failure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The embedded event inbox: a queue in the journal's own database (SQLite or PostgreSQL), for the setup without
 * Redis. Taking a message moves its {@code visible_at} on by the visibility timeout and gives it a new receipt in one
 * write, so two consumers never hold one delivery, and a consumer that dies leaves the message to be taken again
 * when its timeout runs out. Every write runs on the journal's writer thread; on SQLite it takes the journal head's
 * lock first, as appends do, so writers of several processes queue instead of failing on a lock upgrade.
 */
public final class JdbcInbox implements EventSource, DeadLetters {
    /** How many due messages one take tries before it says nothing is due: others may be taking the same ones. */
    static final int TAKE_TRIES = 8;

    private static final String DUE = "SELECT message_id FROM inbox WHERE visible_at <= ?"
            + " ORDER BY visible_at, message_id LIMIT 1";
    private static final String DUE_SKIP_LOCKED = DUE + " FOR UPDATE SKIP LOCKED";
    private static final String TAKE = "UPDATE inbox SET deliveries = deliveries + 1, visible_at = ?,"
            + " receipt = ? || ':' || (deliveries + 1), first_taken_at = COALESCE(first_taken_at, ?)"
            + " WHERE message_id = ? AND visible_at <= ?";
    private static final String TAKEN = "SELECT message_id, account_id, body, deliveries, receipt, first_taken_at,"
            + " last_error_code, last_error FROM inbox WHERE message_id = ?";
    private static final String PUSH = "INSERT INTO inbox (message_id, account_id, body, pushed_at, visible_at)"
            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING";
    private static final String DEAD_COLUMNS = "message_id, account_id, body, error_code, reason, attempts,"
            + " first_taken_at, dead_at, resolved_at, resolved_by, note";

    private final JdbcJournal journal;
    private final Clock clock;
    private final String consumer;

    JdbcInbox(JdbcJournal journal, Clock clock, String consumer) {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.consumer = Objects.requireNonNull(consumer, "consumer");
    }

    @Override
    public boolean push(String messageId, String accountId, String body) {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(body, "body");
        String now = Timestamps.format(clock.instant());
        return write(c -> {
            if (exists(c, "SELECT 1 FROM dead_letters WHERE message_id = ?", messageId)) {
                return false; // dead-lettered: 'keel dlq retry' sends it again, not a second push
            }
            try (PreparedStatement ps = c.prepareStatement(PUSH)) {
                ps.setString(1, messageId);
                AppendSql.text(ps, 2, accountId);
                ps.setString(3, body);
                ps.setString(4, now);
                ps.setString(5, now);
                return ps.executeUpdate() == 1;
            }
        }, "inbox push");
    }

    @Override
    public Optional<Delivery> take(Duration visibility) {
        if (visibility.isNegative() || visibility.isZero()) {
            throw new IllegalArgumentException("visibility must be positive, but was " + visibility);
        }
        Instant now = clock.instant();
        String at = Timestamps.format(now);
        String until = Timestamps.format(now.plus(visibility));
        return write(c -> {
            boolean postgres = journal.dialect() == Dialect.POSTGRESQL;
            for (int i = 0; i < TAKE_TRIES; i++) {
                String id;
                try (PreparedStatement ps = c.prepareStatement(postgres ? DUE_SKIP_LOCKED : DUE)) {
                    ps.setString(1, at);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return Optional.<Delivery>empty();
                        }
                        id = rs.getString(1);
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(TAKE)) {
                    ps.setString(1, until);
                    ps.setString(2, consumer);
                    ps.setString(3, at);
                    ps.setString(4, id);
                    ps.setString(5, at);
                    if (ps.executeUpdate() == 1) {
                        return Optional.of(taken(c, id));
                    }
                }
            }
            return Optional.<Delivery>empty();
        }, "inbox take");
    }

    private static Delivery taken(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(TAKEN)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("inbox message " + id + " vanished while taken");
                }
                String code = rs.getString(7);
                Failure last = code == null ? null : new Failure(ErrorCode.valueOf(code), rs.getString(8));
                return new Delivery(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                        rs.getString(5), Timestamps.parse(rs.getString(6)), last);
            }
        }
    }

    @Override
    public void ack(Delivery delivery) {
        write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM inbox WHERE message_id = ? AND receipt = ?")) {
                ps.setString(1, delivery.messageId());
                ps.setString(2, delivery.receipt());
                return ps.executeUpdate();
            }
        }, "inbox ack");
    }

    @Override
    public void retry(Delivery delivery, Duration backoff, Failure failure) {
        String visible = Timestamps.format(clock.instant().plus(backoff));
        write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE inbox SET visible_at = ?, receipt = NULL,"
                    + " last_error_code = ?, last_error = ? WHERE message_id = ? AND receipt = ?")) {
                ps.setString(1, visible);
                ps.setString(2, failure.code().name());
                ps.setString(3, failure.message());
                ps.setString(4, delivery.messageId());
                ps.setString(5, delivery.receipt());
                return ps.executeUpdate();
            }
        }, "inbox retry");
    }

    @Override
    public void deadLetter(Delivery delivery, Failure failure) {
        String now = Timestamps.format(clock.instant());
        write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO dead_letters (" + DEAD_COLUMNS + ")"
                    + " SELECT message_id, account_id, body, ?, ?, deliveries, first_taken_at, ?, NULL, NULL, NULL"
                    + " FROM inbox WHERE message_id = ? AND receipt = ?"
                    + " ON CONFLICT (message_id) DO NOTHING")) {
                ps.setString(1, failure.code().name());
                ps.setString(2, failure.message());
                ps.setString(3, now);
                ps.setString(4, delivery.messageId());
                ps.setString(5, delivery.receipt());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM inbox WHERE message_id = ? AND receipt = ?")) {
                ps.setString(1, delivery.messageId());
                ps.setString(2, delivery.receipt());
                return ps.executeUpdate();
            }
        }, "inbox dead letter");
    }

    @Override
    public DeadLetters deadLetters() {
        return this;
    }

    @Override
    public long pending() {
        return journal.reading(c -> count(c, "SELECT COUNT(*) FROM inbox"));
    }

    @Override
    public List<DeadLetter> list() {
        return journal.reading(c -> {
            List<DeadLetter> all = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + DEAD_COLUMNS
                    + " FROM dead_letters ORDER BY dead_at, message_id"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    all.add(deadLetter(rs));
                }
            }
            return List.copyOf(all);
        });
    }

    @Override
    public Optional<DeadLetter> find(String messageId) {
        return journal.reading(c -> find(c, messageId));
    }

    @Override
    public boolean retry(String messageId) {
        String now = Timestamps.format(clock.instant());
        return write(c -> {
            Optional<DeadLetter> dead = find(c, messageId);
            if (dead.isEmpty()) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement(PUSH)) {
                ps.setString(1, messageId);
                AppendSql.text(ps, 2, dead.get().accountId());
                ps.setString(3, dead.get().body());
                ps.setString(4, now);
                ps.setString(5, now);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM dead_letters WHERE message_id = ?")) {
                ps.setString(1, messageId);
                ps.executeUpdate();
            }
            return true;
        }, "dead letter retry");
    }

    @Override
    public Optional<DeadLetter> resolve(String messageId, String by, String note, Instant at) {
        return write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE dead_letters SET resolved_at = ?,"
                    + " resolved_by = ?, note = ? WHERE message_id = ?")) {
                ps.setString(1, Timestamps.format(at));
                ps.setString(2, by);
                ps.setString(3, note);
                ps.setString(4, messageId);
                ps.executeUpdate();
            }
            return find(c, messageId);
        }, "dead letter resolve");
    }

    @Override
    public int purge(Instant cutoff) {
        return write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM dead_letters WHERE dead_at < ?")) {
                ps.setString(1, Timestamps.format(cutoff));
                return ps.executeUpdate();
            }
        }, "dead letter purge");
    }

    /** The journal closes the database; the inbox holds nothing of its own. */
    @Override
    public void close() {
    }

    private <T> T write(GroupCommitWriter.SqlWork<T> work, String what) {
        return journal.exclusive(c -> {
            if (journal.dialect() == Dialect.SQLITE) {
                AppendSql.lockHead(c); // a write first: the transaction holds SQLite's write lock from here on
            }
            return work.run(c);
        }, what);
    }

    private static Optional<DeadLetter> find(Connection c, String messageId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + DEAD_COLUMNS
                + " FROM dead_letters WHERE message_id = ?")) {
            ps.setString(1, messageId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(deadLetter(rs)) : Optional.empty();
            }
        }
    }

    private static DeadLetter deadLetter(ResultSet rs) throws SQLException {
        return new DeadLetter(rs.getString(1), rs.getString(2), rs.getString(3), ErrorCode.valueOf(rs.getString(4)),
                rs.getString(5), rs.getInt(6), Timestamps.parse(rs.getString(7)), Timestamps.parse(rs.getString(8)),
                Timestamps.parse(rs.getString(9)), rs.getString(10), rs.getString(11));
    }

    private static boolean exists(Connection c, String sql, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
