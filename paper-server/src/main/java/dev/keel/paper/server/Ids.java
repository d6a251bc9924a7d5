package dev.keel.paper.server;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Alpaca's ids are UUIDs; the exchange's are {@code paper-<account>-<n>}. Each exchange id maps to a name-based UUID
 * (the same one across restarts), and back by looking the UUID up among the account's orders.
 */
final class Ids {
    private Ids() {
    }

    static String order(String brokerOrderId) {
        return uuid("order:" + brokerOrderId);
    }

    static String account(String accountId) {
        return uuid("account:" + accountId);
    }

    static String asset(String symbol) {
        return uuid("asset:" + symbol);
    }

    static String execution(String brokerOrderId, int fill) {
        return uuid("execution:" + brokerOrderId + ":" + fill);
    }

    private static String uuid(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
