package dev.keel.core.chaos;

import dev.keel.core.broker.BrokerException;
import dev.keel.core.broker.Delivery;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.ErrorContext;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** What a rehearsal may target and how: the names the CLI takes, checked in one place. */
public final class ChaosTarget {
    /** The broker calls a rehearsal can fail, by the gateway's endpoints. */
    public static final List<String> BROKER_TARGETS = List.of("submit", "cancel", "lookup", "reads", "quotes");
    /** How a broker call fails. */
    public static final List<String> BROKER_KINDS = List.of("timeout", "unavailable", "server-error", "rate-limit",
            "reset", "reject");
    /** The prefix of a channel target: {@code notify:slack}. */
    public static final String NOTIFY_PREFIX = "notify:";
    /** How a channel fails. */
    public static final List<String> NOTIFY_KINDS = List.of("down");

    private ChaosTarget() {
    }

    /**
     * Checks a target and kind, naming what is allowed.
     *
     * @return a message for the user, or null when they are valid
     */
    public static String problem(String target, String kind, Set<String> channels) {
        if (target.startsWith(NOTIFY_PREFIX)) {
            String channel = target.substring(NOTIFY_PREFIX.length());
            if (!channels.contains(channel)) {
                return "--target " + target + " names no configured channel; the channels are " + channels;
            }
            return NOTIFY_KINDS.contains(kind) ? null
                    : "--kind for a channel must be one of " + NOTIFY_KINDS + ", but was '" + kind + "'";
        }
        if (!BROKER_TARGETS.contains(target)) {
            return "--target must be one of " + BROKER_TARGETS + " or notify:CHANNEL, but was '" + target + "'";
        }
        if (!BROKER_KINDS.contains(kind)) {
            return "--kind must be one of " + BROKER_KINDS + ", but was '" + kind + "'";
        }
        if (kind.equals("reject") && !target.equals("submit")) {
            return "--kind reject applies to --target submit only, but the target was '" + target + "'";
        }
        return null;
    }

    /**
     * The failure a broker call raises in a rehearsal, as a real broker's would be classified. A submit's timeout,
     * server error and reset leave its outcome unknown (law 3 takes over: the order is looked up, never blindly
     * resent); the call itself is never made, so the lookup finds nothing and the same client order id is sent again.
     */
    static BrokerException failure(String kind, String call, String session) {
        String message = "chaos rehearsal " + session + ": injected " + kind + " on " + call;
        return switch (kind.toLowerCase(Locale.ROOT)) {
            case "timeout" -> new BrokerException(ErrorCode.BROKER_TIMEOUT, Delivery.AMBIGUOUS, message, null, null,
                    null, null, ErrorContext.NONE, null);
            case "unavailable" -> new BrokerException(ErrorCode.BROKER_UNAVAILABLE, Delivery.NOT_PROCESSED, message,
                    503, null, null, null, ErrorContext.NONE, null);
            case "server-error" -> new BrokerException(ErrorCode.BROKER_SERVER_ERROR, Delivery.AMBIGUOUS, message,
                    500, null, null, null, ErrorContext.NONE, null);
            case "rate-limit" -> new BrokerException(ErrorCode.RATE_LIMITED, Delivery.NOT_PROCESSED, message, 429,
                    null, Duration.ofSeconds(1), null, ErrorContext.NONE, null);
            case "reset" -> new BrokerException(ErrorCode.CONNECTION_RESET, Delivery.AMBIGUOUS, message, null, null,
                    null, null, ErrorContext.NONE, null);
            case "reject" -> new BrokerException(ErrorCode.ORDER_REJECTED, Delivery.REFUSED, message, 422, null,
                    null, null, ErrorContext.NONE, null);
            default -> throw new IllegalArgumentException("unknown chaos kind '" + kind + "'");
        };
    }
}
