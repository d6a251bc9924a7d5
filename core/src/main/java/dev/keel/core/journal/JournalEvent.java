package dev.keel.core.journal;

import java.time.Instant;

/**
 * One fact in the journal. The journal is append-only; every view (transactions, orders, outbox) is a fold of
 * these events. Adding a new event is adding a record to the {@code permits} list; the compiler then points at
 * every fold that must handle it.
 */
public sealed interface JournalEvent permits TransactionEvent, NotificationEvent, AccountEvent, BrokerEvent,
        AlertEvent, DeadLetterEvent, ChaosEvent {

    /** The stream this event belongs to: a transaction id, {@code account:ID} or {@code notification:ID}. */
    String streamId();

    /** The stream's kind: {@link #TRANSACTION}, {@link #ACCOUNT} or {@link #NOTIFICATION}. */
    String streamKind();

    /** The account the event concerns, or null. */
    String accountId();

    /** When it happened, by the engine's injected clock. */
    Instant at();

    /** True for the event that ends its stream (a transaction's terminal state, a settled notification). */
    default boolean closesStream() {
        return false;
    }

    String TRANSACTION = "transaction";
    String ACCOUNT = "account";
    String NOTIFICATION = "notification";
    /** The kind of the {@code broker:NAME} streams: breaker transitions, refusals, failover ({@link BrokerEvent}). */
    String BROKER = "broker";
    /** The kind of the {@code alert:ID} streams: raised, escalated, acknowledged, resolved ({@link AlertEvent}). */
    String ALERT = "alert";
    /** The kind of the {@code dead-letter:EVENT_ID} streams: what operators did with a dead letter. */
    String DEAD_LETTER = "dead-letter";
    /** The kind of the {@code chaos:ID} streams: a rehearsal's start and end ({@link ChaosEvent}). */
    String CHAOS = "chaos";
}
