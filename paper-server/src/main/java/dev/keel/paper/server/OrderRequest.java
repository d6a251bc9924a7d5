package dev.keel.paper.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.OrderType;
import dev.keel.core.model.Side;
import dev.keel.core.model.Symbol;
import dev.keel.core.model.TimeInForce;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.UUID;

/**
 * The body of {@code POST /v2/orders}, read as Alpaca reads it (decimals as strings or numbers); a field the paper
 * exchange cannot honour is refused with 422 naming it.
 *
 * @param orderClass   simple, bracket or oco
 * @param spec         the order (a bracket's entry; an OCO's take-profit limit)
 * @param takeProfit   the take-profit limit of a bracket or OCO, null for simple
 * @param stopLossStop the stop-loss trigger of a bracket or OCO, null for simple
 * @param stopLossLimit the stop-loss limit (a stop-limit exit), or null
 */
record OrderRequest(String clientOrderId, String orderClass, OrderSpec spec, BigDecimal takeProfit,
                    BigDecimal stopLossStop, BigDecimal stopLossLimit) {
    static final int MAX_CLIENT_ORDER_ID = 128;

    static OrderRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiError.invalid("request body must be a JSON object").failure();
        }
        String symbol = text(body, "symbol", true);
        Side side = Side.valueOf(choice(body, "side", true, "buy", "sell"));
        OrderType type = OrderType.valueOf(choice(body, "type", true, "market", "limit", "stop", "stop_limit"));
        TimeInForce tif = TimeInForce.valueOf(choice(body, "time_in_force", true, "day", "gtc", "ioc"));
        BigDecimal qty = decimal(body, "qty");
        BigDecimal notional = decimal(body, "notional");
        if ((qty == null) == (notional == null)) {
            throw ApiError.invalid("qty or notional is required, not both").failure();
        }
        if (body.path("extended_hours").asBoolean(false)) {
            throw ApiError.invalid("extended_hours is not supported by the paper server").failure();
        }
        String cid = text(body, "client_order_id", false);
        if (cid == null) {
            cid = UUID.randomUUID().toString();
        } else if (cid.length() > MAX_CLIENT_ORDER_ID) {
            throw ApiError.invalid("client_order_id must be at most " + MAX_CLIENT_ORDER_ID + " characters").failure();
        }
        String orderClass = choice(body, "order_class", false, "simple", "", "bracket", "oco", "oto");
        orderClass = orderClass == null || orderClass.isEmpty() ? "simple" : orderClass.toLowerCase(Locale.ROOT);
        if (orderClass.equals("oto")) {
            throw ApiError.invalid("order_class oto is not supported by the paper server").failure();
        }
        BigDecimal limit = decimal(body, "limit_price");
        BigDecimal stop = decimal(body, "stop_price");
        JsonNode takeProfit = body.path("take_profit");
        JsonNode stopLoss = body.path("stop_loss");
        BigDecimal tp = takeProfit.isObject() ? decimal(takeProfit, "limit_price") : null;
        BigDecimal slStop = stopLoss.isObject() ? decimal(stopLoss, "stop_price") : null;
        BigDecimal slLimit = stopLoss.isObject() ? decimal(stopLoss, "limit_price") : null;
        OrderSpec spec;
        if (orderClass.equals("simple")) {
            spec = spec(Symbol.of(symbol), side, type, qty, notional, limit, tif, stop);
            return new OrderRequest(cid, orderClass, spec, null, null, null);
        }
        if (tp == null || slStop == null) {
            throw ApiError.invalid(orderClass + " orders require take_profit.limit_price and stop_loss.stop_price")
                    .failure();
        }
        if (orderClass.equals("oco")) {
            if (type != OrderType.LIMIT) {
                throw ApiError.invalid("oco orders must be limit orders").failure();
            }
            // the OCO's own limit_price, when sent, must agree with its take-profit
            if (limit != null && limit.compareTo(tp) != 0) {
                throw ApiError.invalid("oco limit_price must equal take_profit.limit_price").failure();
            }
            spec = spec(Symbol.of(symbol), side, OrderType.LIMIT, qty, notional, tp, tif, null);
        } else {
            spec = spec(Symbol.of(symbol), side, type, qty, notional, limit, tif, stop);
        }
        return new OrderRequest(cid, orderClass, spec, tp, slStop, slLimit);
    }

    /** The OCO's stop-loss leg: a stop, or a stop-limit when a limit was given. */
    OrderSpec stopLossLeg() {
        return stopLossLimit == null
                ? OrderSpec.stop(spec.symbol(), spec.side(), spec.quantity(), stopLossStop, spec.timeInForce())
                : OrderSpec.stopLimit(spec.symbol(), spec.side(), spec.quantity(), stopLossStop, stopLossLimit,
                spec.timeInForce());
    }

    private static OrderSpec spec(Symbol symbol, Side side, OrderType type, BigDecimal qty, BigDecimal notional,
                                  BigDecimal limit, TimeInForce tif, BigDecimal stop) {
        try {
            return new OrderSpec(symbol, side, type, qty, notional, limit, tif, stop);
        } catch (IllegalArgumentException e) {
            throw ApiError.invalid("invalid order: " + e.getMessage()).failure();
        }
    }

    static String text(JsonNode body, String field, boolean required) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw ApiError.invalid(field + " is required").failure();
            }
            return null;
        }
        if (!n.isTextual()) {
            throw ApiError.invalid(field + " must be a string").failure();
        }
        return n.asText();
    }

    private static String choice(JsonNode body, String field, boolean required, String... allowed) {
        String value = text(body, field, required);
        if (value == null) {
            return null;
        }
        for (String a : allowed) {
            if (a.equalsIgnoreCase(value)) {
                return a.toUpperCase(Locale.ROOT);
            }
        }
        throw ApiError.invalid("invalid " + field + ": " + value + " (the paper server takes "
                + String.join(", ", allowed) + ")").failure();
    }

    static BigDecimal decimal(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        try {
            if (n.isNumber()) {
                return n.decimalValue();
            }
            if (n.isTextual()) {
                return new BigDecimal(n.asText().trim());
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiError.invalid("invalid " + field + ": " + n).failure();
    }
}
