package dev.keel.alpaca;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keel's client id of each order-class leg seen, by Alpaca's order id: Alpaca names legs itself, and an answer about
 * a leg alone (a cancel, a stream update) must carry Keel's name for it. Bounded: the oldest are forgotten first,
 * and a forgotten leg is found again through its parent. Thread-safe.
 */
final class Legs {
    static final int CAPACITY = 10_000;

    private final Map<String, String> byOrderId = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > CAPACITY;
        }
    };

    synchronized void put(String brokerOrderId, String keelClientId) {
        byOrderId.put(brokerOrderId, keelClientId);
    }

    synchronized String get(String brokerOrderId) {
        return byOrderId.get(brokerOrderId);
    }
}
