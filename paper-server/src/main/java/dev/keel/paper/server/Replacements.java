package dev.keel.paper.server;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which order replaced which ({@code PATCH /v2/orders/{id}}): the exchange has no replace, so the server cancels the
 * old order and places the new one, and remembers the link here to answer {@code replaced_by}, {@code replaces},
 * status {@code replaced} and the stream's {@code replaced} event. In memory only: a restarted server shows a
 * replaced order as canceled.
 */
final class Replacements {
    /** A replacement: the new order's exchange id and when it happened. */
    record Link(String newBrokerOrderId, Instant at) {
    }

    private final Map<String, Link> byOld = new ConcurrentHashMap<>();
    private final Map<String, String> byNew = new ConcurrentHashMap<>();

    void record(String oldBrokerOrderId, String newBrokerOrderId, Instant at) {
        byOld.put(oldBrokerOrderId, new Link(newBrokerOrderId, at));
        byNew.put(newBrokerOrderId, oldBrokerOrderId);
    }

    /** What replaced the order, or null. */
    Link replacedBy(String brokerOrderId) {
        return byOld.get(brokerOrderId);
    }

    /** The exchange id of the order this one replaced, or null. */
    String replaces(String brokerOrderId) {
        return byNew.get(brokerOrderId);
    }
}
