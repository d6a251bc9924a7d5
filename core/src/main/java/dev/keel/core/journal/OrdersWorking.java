package dev.keel.core.journal;

import java.time.Instant;

/**
 * What of an ended transaction may still be at the broker, as its writer knew it when it wrote this: its orders
 * the journal has working or UNKNOWN, and its protective links not ended. Written with the transaction's ending and
 * by the protection watch when a pass finds it changed; any later record of the transaction makes it unsaid again.
 *
 * <p>The journal keeps it beside the transaction's summary ({@link TransactionSummary#working()}), so the watch and
 * the account check learn that an account has nothing live from the index of its recent transactions, without
 * reading their records.
 *
 * @param orders orders ACCEPTED, PARTIALLY_FILLED or UNKNOWN in the journal
 * @param links  protective links not ended by {@link OrdersUnlinked}
 */
public record OrdersWorking(String txId, String accountId, int orders, int links, Instant at)
        implements TransactionEvent {
    public OrdersWorking {
        if (orders < 0 || links < 0) {
            throw new IllegalArgumentException("counts are at least 0, but were " + orders + " orders and " + links
                    + " links");
        }
    }

    /** What the journal keeps: 0 when nothing of the transaction can be live at the broker. */
    public int working() {
        return orders + links;
    }
}
