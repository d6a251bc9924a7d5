package dev.keel.alpaca;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.marketdata.Bar;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.MarketClock;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.OrderState;
import dev.keel.core.model.OrderType;
import dev.keel.core.model.Position;
import dev.keel.core.model.Quote;
import dev.keel.core.model.Side;
import dev.keel.core.model.Symbol;
import dev.keel.core.model.TimeInForce;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Alpaca's JSON shapes (orders, positions, account, clock, quotes, bars) to Keel's model and back. Numbers travel as
 * strings both ways, so no price passes through a double. A shape Keel cannot read throws {@link Unreadable}; the
 * broker turns it into BROKER_RESPONSE_UNRECOGNIZED with the raw body.
 */
final class AlpacaJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private AlpacaJson() {
    }

    /** A body that is not the shape expected; the message says which field. */
    static final class Unreadable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unreadable(String message) {
            super(message);
        }
    }

    // ---- requests

    /** The body of {@code POST /v2/orders} for a simple order. */
    static String orderRequest(String clientOrderId, OrderSpec spec) {
        return write(order(clientOrderId, spec));
    }

    /**
     * The body of an OCO: Alpaca's {@code order_class: oco} is a limit order (the take-profit) whose
     * {@code stop_loss} names the other leg's stop and optional limit.
     */
    static String ocoRequest(String clientOrderId, OrderSpec takeProfitLimit, OrderSpec stopLoss) {
        ObjectNode body = order(clientOrderId, takeProfitLimit);
        body.put("order_class", "oco");
        body.putObject("take_profit").put("limit_price", plain(takeProfitLimit.limitPrice()));
        ObjectNode stop = body.putObject("stop_loss").put("stop_price", plain(stopLoss.stopPrice()));
        if (stopLoss.limitPrice() != null) {
            stop.put("limit_price", plain(stopLoss.limitPrice()));
        }
        return write(body);
    }

    /** The body of a bracket: the entry with {@code order_class: bracket}, its take-profit and stop-loss prices. */
    static String bracketRequest(String clientOrderId, OrderSpec entry, BigDecimal takeProfitLimit,
                                 BigDecimal stopLossStop, BigDecimal stopLossLimit) {
        ObjectNode body = order(clientOrderId, entry);
        body.put("order_class", "bracket");
        body.putObject("take_profit").put("limit_price", plain(takeProfitLimit));
        ObjectNode stop = body.putObject("stop_loss").put("stop_price", plain(stopLossStop));
        if (stopLossLimit != null) {
            stop.put("limit_price", plain(stopLossLimit));
        }
        return write(body);
    }

    private static ObjectNode order(String clientOrderId, OrderSpec spec) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("symbol", spec.symbol().value());
        if (spec.byNotional()) {
            body.put("notional", plain(spec.notional()));
        } else {
            body.put("qty", plain(spec.quantity()));
        }
        body.put("side", spec.side().wire());
        body.put("type", spec.type().name().toLowerCase(Locale.ROOT));
        body.put("time_in_force", spec.timeInForce().name().toLowerCase(Locale.ROOT));
        if (spec.limitPrice() != null) {
            body.put("limit_price", plain(spec.limitPrice()));
        }
        if (spec.stopPrice() != null) {
            body.put("stop_price", plain(spec.stopPrice()));
        }
        body.put("client_order_id", clientOrderId);
        return body;
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }

    private static String write(ObjectNode body) {
        try {
            return MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings always serialises", e);
        }
    }

    // ---- answers

    static JsonNode tree(String body) {
        try {
            JsonNode node = MAPPER.readTree(body == null ? "" : body);
            if (node == null || node.isMissingNode()) {
                throw new Unreadable("empty body");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new Unreadable("not JSON (" + e.getOriginalMessage() + ")");
        }
    }

    /** An Alpaca {@code Order}, with its nested legs. */
    static AlpacaOrder order(JsonNode node) {
        if (!node.isObject()) {
            throw new Unreadable("an order must be an object");
        }
        String type = text(node, "type", true);
        OrderType orderType = switch (type) {
            case "market" -> OrderType.MARKET;
            case "limit" -> OrderType.LIMIT;
            case "stop" -> OrderType.STOP;
            case "stop_limit" -> OrderType.STOP_LIMIT;
            // A trailing stop rests as a stop whose price Alpaca moves; Keel sees its current stop price.
            case "trailing_stop" -> OrderType.STOP;
            default -> throw new Unreadable("type '" + type + "' is not an order type Keel knows");
        };
        BigDecimal qty = decimal(node, "qty", false);
        BigDecimal notional = qty == null ? decimal(node, "notional", false) : null;
        if (qty == null && notional == null) {
            throw new Unreadable("an order needs qty or notional");
        }
        BigDecimal limit = orderType == OrderType.LIMIT || orderType == OrderType.STOP_LIMIT
                ? decimal(node, "limit_price", true) : null;
        BigDecimal stop = orderType == OrderType.STOP || orderType == OrderType.STOP_LIMIT
                ? decimal(node, "stop_price", true) : null;
        OrderSpec spec;
        try {
            spec = new OrderSpec(symbol(node), side(node), orderType, qty, notional, limit, timeInForce(node), stop);
        } catch (IllegalArgumentException e) {
            throw new Unreadable(e.getMessage());
        }
        BigDecimal filled = decimal(node, "filled_qty", false);
        filled = filled == null ? BigDecimal.ZERO : filled;
        BrokerOrder order = new BrokerOrder(text(node, "id", true), text(node, "client_order_id", true), spec,
                state(text(node, "status", true), filled, qty), filled, decimal(node, "filled_avg_price", false),
                instant(node, "created_at", false), updatedAt(node));
        String orderClass = node.hasNonNull("order_class") ? node.get("order_class").asText() : "simple";
        List<AlpacaOrder> legs = new ArrayList<>();
        JsonNode legNodes = node.get("legs");
        if (legNodes != null && legNodes.isArray()) {
            for (JsonNode leg : legNodes) {
                legs.add(order(leg));
            }
        }
        return new AlpacaOrder(order, orderClass.isEmpty() ? "simple" : orderClass, legs);
    }

    static List<AlpacaOrder> orders(JsonNode node) {
        if (!node.isArray()) {
            throw new Unreadable("a list of orders must be an array");
        }
        List<AlpacaOrder> orders = new ArrayList<>();
        for (JsonNode o : node) {
            orders.add(order(o));
        }
        return orders;
    }

    /**
     * Alpaca's status mapped onto Keel's lifecycle. Alpaca's working states (new, accepted, pending_new, held,
     * done_for_day...) are ACCEPTED, or PARTIALLY_FILLED once something filled; {@code replaced} ended the order, so
     * CANCELLED (its replacement is another order); {@code calculated} is FILLED when all filled.
     */
    static OrderState state(String status, BigDecimal filled, BigDecimal qty) {
        boolean some = filled.signum() > 0;
        return switch (status) {
            case "new", "accepted", "pending_new", "accepted_for_bidding", "held", "done_for_day", "stopped",
                 "suspended", "pending_cancel", "pending_replace" -> some ? OrderState.PARTIALLY_FILLED
                    : OrderState.ACCEPTED;
            case "partially_filled" -> OrderState.PARTIALLY_FILLED;
            case "filled" -> OrderState.FILLED;
            case "calculated" -> qty != null && filled.compareTo(qty) >= 0 ? OrderState.FILLED
                    : some ? OrderState.PARTIALLY_FILLED : OrderState.ACCEPTED;
            case "canceled", "replaced" -> OrderState.CANCELLED;
            case "expired" -> OrderState.EXPIRED;
            case "rejected" -> OrderState.REJECTED;
            default -> throw new Unreadable("status '" + status + "' is not an order status Keel knows");
        };
    }

    static List<Position> positions(JsonNode node) {
        if (!node.isArray()) {
            throw new Unreadable("a list of positions must be an array");
        }
        List<Position> positions = new ArrayList<>();
        for (JsonNode p : node) {
            BigDecimal qty = decimal(p, "qty", true);
            // Alpaca reports a short position with side "short" and a negative qty; keep the sign it sent.
            BigDecimal price = decimal(p, "current_price", false);
            if (price == null) {
                price = decimal(p, "lastday_price", true);
            }
            positions.add(new Position(symbol(p), qty, price));
        }
        return positions;
    }

    /**
     * The account: {@code cash}, and as buying power the smaller of Alpaca's {@code buying_power} and cash, so a
     * margin account never lends Keel money (law 5).
     */
    static AccountSnapshot account(JsonNode node, String accountId, List<Position> positions, Instant asOf) {
        BigDecimal cash = decimal(node, "cash", true);
        BigDecimal power = decimal(node, "buying_power", true);
        return new AccountSnapshot(accountId, cash, power.min(cash.max(BigDecimal.ZERO)), positions, asOf);
    }

    /** What Alpaca says about the account's standing. */
    static AlpacaAccountStatus accountStatus(JsonNode node) {
        return new AlpacaAccountStatus(text(node, "status", true), bool(node, "trading_blocked"),
                bool(node, "account_blocked"), bool(node, "trade_suspended_by_user"),
                decimal(node, "equity", false), decimal(node, "cash", false), decimal(node, "buying_power", false));
    }

    /** {@code GET /v2/clock}: {@code timestamp, is_open, next_open, next_close}. */
    static MarketClock clock(JsonNode node) {
        JsonNode open = node.get("is_open");
        if (open == null || !open.isBoolean()) {
            throw new Unreadable("is_open must be a boolean");
        }
        return new MarketClock(instant(node, "timestamp", true), open.booleanValue(), instant(node, "next_open", true),
                instant(node, "next_close", true));
    }

    /** {@code GET /v2/stocks/{symbol}/quotes/latest}: {@code {"symbol":..., "quote":{"t","bp","ap",...}}}. */
    static Quote quote(JsonNode node, Symbol symbol) {
        JsonNode q = node.get("quote");
        if (q == null || !q.isObject()) {
            throw new Unreadable("quote must be an object");
        }
        return new Quote(symbol, decimal(q, "bp", true), decimal(q, "ap", true), instant(q, "t", true));
    }

    private static final java.time.ZoneId NEW_YORK = java.time.ZoneId.of("America/New_York");

    /**
     * One page of {@code GET /v2/stocks/{symbol}/bars}: {@code {"bars":[{"t","o","h","l","c",...}], ...}}. A daily
     * bar, stamped by Alpaca at midnight New York time, spans that day's regular session (09:30-16:00 New York), as
     * core's {@code MarketSession.US_EQUITIES} slots daily bars; any other bar spans {@code interval} from its stamp.
     */
    static List<Bar> bars(JsonNode node, Duration interval) {
        JsonNode list = node.get("bars");
        List<Bar> bars = new ArrayList<>();
        if (list == null || list.isNull()) {
            return bars;
        }
        if (!list.isArray()) {
            throw new Unreadable("bars must be an array");
        }
        for (JsonNode b : list) {
            Instant start = instant(b, "t", true);
            Instant end = start.plus(interval);
            if (interval.equals(Duration.ofDays(1))) {
                java.time.LocalDate day = start.atZone(NEW_YORK).toLocalDate();
                start = day.atTime(9, 30).atZone(NEW_YORK).toInstant();
                end = day.atTime(16, 0).atZone(NEW_YORK).toInstant();
            }
            bars.add(new Bar(start, end, decimal(b, "o", true), decimal(b, "h", true),
                    decimal(b, "l", true), decimal(b, "c", true)));
        }
        return bars;
    }

    static String nextPageToken(JsonNode node) {
        JsonNode token = node.get("next_page_token");
        return token == null || token.isNull() || token.asText().isEmpty() ? null : token.asText();
    }

    // ---- fields

    private static Symbol symbol(JsonNode node) {
        String s = text(node, "symbol", true);
        try {
            return Symbol.of(s);
        } catch (IllegalArgumentException e) {
            throw new Unreadable("symbol: " + e.getMessage());
        }
    }

    private static Side side(JsonNode node) {
        String s = text(node, "side", true);
        return switch (s) {
            case "buy" -> Side.BUY;
            case "sell" -> Side.SELL;
            default -> throw new Unreadable("side '" + s + "' is neither buy nor sell");
        };
    }

    /** Alpaca's opg/cls rest for one auction of the day and fok for one fill: the nearest of Keel's. */
    private static TimeInForce timeInForce(JsonNode node) {
        String s = text(node, "time_in_force", true);
        return switch (s) {
            case "day", "opg", "cls" -> TimeInForce.DAY;
            case "gtc" -> TimeInForce.GTC;
            case "ioc", "fok" -> TimeInForce.IOC;
            default -> throw new Unreadable("time_in_force '" + s + "' is not one Keel knows");
        };
    }

    private static Instant updatedAt(JsonNode node) {
        Instant updated = instant(node, "updated_at", false);
        return updated != null ? updated : instant(node, "created_at", false);
    }

    static String text(JsonNode node, String field, boolean required) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new Unreadable(field + " is missing");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new Unreadable(field + " must be a string, but was " + v.getNodeType());
        }
        return v.asText();
    }

    static BigDecimal decimal(JsonNode node, String field, boolean required) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new Unreadable(field + " is missing");
            }
            return null;
        }
        try {
            return v.isNumber() ? v.decimalValue() : new BigDecimal(v.asText());
        } catch (NumberFormatException e) {
            throw new Unreadable(field + " must be a number, but was '" + v.asText() + "'");
        }
    }

    static Instant instant(JsonNode node, String field, boolean required) {
        String s = text(node, field, required);
        if (s == null) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw new Unreadable(field + " must be an RFC 3339 time, but was '" + s + "'");
        }
    }

    private static boolean bool(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.asBoolean(false);
    }
}
