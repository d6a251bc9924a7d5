package dev.keel.alpaca;

import dev.keel.core.model.BrokerOrder;
import java.time.Instant;
import java.util.Objects;

/**
 * One change of an order, from the {@code trade_updates} stream or from the backfill after a (re)connect.
 *
 * @param event  Alpaca's event: new, fill, partial_fill, canceled, expired, replaced, rejected... ; {@code backfill}
 *               for an order read by listing after a gap
 * @param order  the order as it stands after the event, named as Keel names it (legs under Keel's suffixes)
 * @param at     when it happened at Alpaca (the event's timestamp, or the order's updated_at for a backfill)
 * @param source where it came from
 */
public record TradeUpdate(String event, BrokerOrder order, Instant at, Source source) {
    /** Where an update came from. */
    public enum Source { STREAM, BACKFILL }

    public TradeUpdate {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(order, "order");
        Objects.requireNonNull(source, "source");
    }
}
