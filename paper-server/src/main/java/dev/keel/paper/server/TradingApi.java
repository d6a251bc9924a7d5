package dev.keel.paper.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.broker.Broker;
import dev.keel.core.broker.BrokerException;
import dev.keel.core.broker.OrderQuery;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.OrderType;
import dev.keel.core.model.Position;
import dev.keel.core.model.Symbol;
import dev.keel.core.model.TimeInForce;
import dev.keel.paper.ExchangeOrderLogEntry;
import dev.keel.paper.PaperExchange;
import io.javalin.http.Context;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The Trading API v2 endpoints: account, positions, orders, clock. Each handler acts for the key's account. */
final class TradingApi {
    static final String ACCOUNT = "keel.account";

    private final PaperExchange exchange;
    private final Replacements replacements;
    private final Clock clock;
    private final Instant startedAt;

    TradingApi(PaperExchange exchange, Replacements replacements, Clock clock) {
        this.exchange = exchange;
        this.replacements = replacements;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    static String accountOf(Context ctx) {
        return ctx.attribute(ACCOUNT);
    }

    private Broker broker(Context ctx) {
        return exchange.broker(accountOf(ctx));
    }

    static void json(Context ctx, int status, JsonNode body) {
        ctx.status(status).contentType("application/json").result(body.toString());
    }

    void getAccount(Context ctx) {
        json(ctx, 200, AlpacaJson.account(broker(ctx).account(), startedAt));
    }

    void clock(Context ctx) {
        json(ctx, 200, AlpacaJson.clock(broker(ctx).clock()));
    }

    void positions(Context ctx) {
        ArrayNode list = AlpacaJson.MAPPER.createArrayNode();
        for (Position p : broker(ctx).positions()) {
            if (p.quantity().signum() != 0) {
                list.add(AlpacaJson.position(p));
            }
        }
        json(ctx, 200, list);
    }

    void position(Context ctx) {
        String symbol = ctx.pathParam("symbol").toUpperCase(Locale.ROOT);
        for (Position p : broker(ctx).positions()) {
            if (p.symbol().value().equals(symbol) && p.quantity().signum() != 0) {
                json(ctx, 200, AlpacaJson.position(p));
                return;
            }
        }
        throw ApiError.notFound("position does not exist").failure();
    }

    void submit(Context ctx) {
        OrderRequest request = OrderRequest.parse(body(ctx));
        Broker broker = broker(ctx);
        BrokerOrder placed = switch (request.orderClass()) {
            case "bracket" -> broker.submitBracket(request.clientOrderId(), request.spec(), request.takeProfit(),
                    request.stopLossStop(), request.stopLossLimit());
            case "oco" -> broker.submitOco(request.clientOrderId(), request.spec(), request.stopLossLeg());
            default -> broker.submit(request.clientOrderId(), request.spec());
        };
        json(ctx, 200, view(ctx, placed.brokerOrderId(), true));
    }

    void list(Context ctx) {
        OrderQuery.Status status = switch (Optional.ofNullable(ctx.queryParam("status")).orElse("open")) {
            case "open" -> OrderQuery.Status.OPEN;
            case "closed" -> OrderQuery.Status.CLOSED;
            case "all" -> OrderQuery.Status.ALL;
            default -> throw ApiError.invalid("invalid status: " + ctx.queryParam("status")).failure();
        };
        int limit = limit(ctx.queryParam("limit"));
        Instant after = time(ctx, "after");
        Instant until = time(ctx, "until");
        boolean asc = "asc".equals(ctx.queryParam("direction"));
        if (ctx.queryParam("direction") != null && !asc && !"desc".equals(ctx.queryParam("direction"))) {
            throw ApiError.invalid("invalid direction: " + ctx.queryParam("direction")).failure();
        }
        boolean nested = Boolean.parseBoolean(ctx.queryParam("nested"));
        Set<String> symbols = ctx.queryParam("symbols") == null ? null
                : Set.of(ctx.queryParam("symbols").toUpperCase(Locale.ROOT).split(","));
        String side = ctx.queryParam("side");
        List<BrokerOrder> orders = broker(ctx).orders(new OrderQuery(status, after, OrderQuery.MAX_LIMIT));
        Map<String, ExchangeOrderLogEntry> all = entries(ctx);
        List<ExchangeOrderLogEntry> picked = new ArrayList<>();
        for (BrokerOrder o : orders) {
            ExchangeOrderLogEntry e = all.get(o.brokerOrderId());
            boolean keep = e != null && (until == null || e.createdAt().isBefore(until))
                    && (symbols == null || symbols.contains(e.spec().symbol().value()))
                    && (side == null || e.spec().side().name().equalsIgnoreCase(side))
                    && (!nested || e.parentOrderId() == null);
            if (keep) {
                picked.add(e);
            }
        }
        Comparator<ExchangeOrderLogEntry> byTime = Comparator.comparing(ExchangeOrderLogEntry::createdAt);
        picked.sort(asc ? byTime : byTime.reversed());
        ArrayNode list = AlpacaJson.MAPPER.createArrayNode();
        picked.stream().limit(limit).forEach(e -> list.add(AlpacaJson.order(e, all, replacements, nested)));
        json(ctx, 200, list);
    }

    void byClientOrderId(Context ctx) {
        String cid = ctx.queryParam("client_order_id");
        if (cid == null || cid.isBlank()) {
            throw ApiError.invalid("client_order_id is required").failure();
        }
        BrokerOrder found = broker(ctx).orderByClientId(cid)
                .orElseThrow(() -> ApiError.notFound("order not found").failure());
        json(ctx, 200, view(ctx, found.brokerOrderId(), Boolean.parseBoolean(ctx.queryParam("nested"))));
    }

    void get(Context ctx) {
        ExchangeOrderLogEntry e = byUuid(ctx, ctx.pathParam("order_id"));
        // through the broker API, so the call is counted and the fault plan applies as to any lookup
        broker(ctx).orderByClientId(e.clientOrderId());
        json(ctx, 200, view(ctx, e.brokerOrderId(), Boolean.parseBoolean(ctx.queryParam("nested"))));
    }

    void cancel(Context ctx) {
        ExchangeOrderLogEntry e = byUuid(ctx, ctx.pathParam("order_id"));
        if (!live(e)) {
            throw notCancelable(e);
        }
        BrokerOrder after = broker(ctx).cancel(e.brokerOrderId());
        if (after.state() != dev.keel.core.model.OrderState.CANCELLED) {
            throw notCancelable(all(ctx).get(e.brokerOrderId()));
        }
        ctx.status(204);
    }

    void cancelAll(Context ctx) {
        Broker broker = broker(ctx);
        ArrayNode results = AlpacaJson.MAPPER.createArrayNode();
        for (BrokerOrder o : broker.openOrders()) {
            ObjectNode r = results.addObject();
            r.put("id", Ids.order(o.brokerOrderId()));
            try {
                BrokerOrder after = broker.cancel(o.brokerOrderId());
                r.put("status", 200);
                r.set("body", view(ctx, after.brokerOrderId(), false));
            } catch (BrokerException failed) {
                ApiError error = Answers.of(failed);
                r.put("status", error.status());
                r.set("body", AlpacaJson.error(error));
            }
        }
        json(ctx, 207, results);
    }

    /**
     * Replaces an open simple order: the exchange has no replace, so the old order is cancelled and the new one
     * placed with the fields the request changes. Not atomic: if the new order is refused, the old one stays
     * cancelled (the answer says why the new one was refused).
     */
    void replace(Context ctx) {
        ExchangeOrderLogEntry old = byUuid(ctx, ctx.pathParam("order_id"));
        if (!live(old) || old.orderClass() != dev.keel.core.model.OrderClass.SIMPLE || old.spec().byNotional()) {
            throw new ApiError(422, ApiError.NOT_ALLOWED, "order is not replaceable: status "
                    + AlpacaJson.status(old, replacements) + ", order_class " + AlpacaJson.orderClass(old.orderClass())
                    + (old.spec().byNotional() ? ", notional" : ""), null).failure();
        }
        JsonNode body = body(ctx);
        OrderSpec spec = old.spec();
        BigDecimal qty = Optional.ofNullable(OrderRequest.decimal(body, "qty")).orElse(spec.quantity());
        BigDecimal limit = Optional.ofNullable(OrderRequest.decimal(body, "limit_price")).orElse(spec.limitPrice());
        BigDecimal stop = Optional.ofNullable(OrderRequest.decimal(body, "stop_price")).orElse(spec.stopPrice());
        String tifText = OrderRequest.text(body, "time_in_force", false);
        TimeInForce tif = tifText == null ? spec.timeInForce() : switch (tifText.toLowerCase(Locale.ROOT)) {
            case "day" -> TimeInForce.DAY;
            case "gtc" -> TimeInForce.GTC;
            case "ioc" -> TimeInForce.IOC;
            default -> throw ApiError.invalid("invalid time_in_force: " + tifText).failure();
        };
        OrderSpec replacement;
        try {
            replacement = new OrderSpec(spec.symbol(), spec.side(), spec.type(), qty, null,
                    spec.type() == OrderType.LIMIT || spec.type() == OrderType.STOP_LIMIT ? limit : null, tif,
                    spec.type() == OrderType.STOP || spec.type() == OrderType.STOP_LIMIT ? stop : null);
        } catch (IllegalArgumentException e) {
            throw ApiError.invalid("invalid replacement: " + e.getMessage()).failure();
        }
        String cid = Optional.ofNullable(OrderRequest.text(body, "client_order_id", false))
                .orElse(UUID.randomUUID().toString());
        Broker broker = broker(ctx);
        if (broker.orderByClientId(cid).isPresent()) {
            throw ApiError.invalid("client_order_id must be unique").failure();
        }
        BrokerOrder cancelled = broker.cancel(old.brokerOrderId());
        if (cancelled.state() != dev.keel.core.model.OrderState.CANCELLED) {
            throw new ApiError(422, ApiError.NOT_ALLOWED, "order is not replaceable: it ended while being replaced",
                    null).failure();
        }
        BrokerOrder placed = broker.submit(cid, replacement);
        replacements.record(old.brokerOrderId(), placed.brokerOrderId(), clock.instant());
        json(ctx, 200, view(ctx, placed.brokerOrderId(), false));
    }

    private static boolean live(ExchangeOrderLogEntry e) {
        return switch (e.state()) {
            case ACCEPTED, PARTIALLY_FILLED, INTENDED, UNKNOWN -> true;
            default -> false;
        };
    }

    private ApiError.Failure notCancelable(ExchangeOrderLogEntry e) {
        return new ApiError(422, ApiError.NOT_ALLOWED, "order is already in \"" + AlpacaJson.status(e, replacements)
                + "\" state", null).failure();
    }

    private ObjectNode view(Context ctx, String brokerOrderId, boolean nested) {
        Map<String, ExchangeOrderLogEntry> all = all(ctx);
        ExchangeOrderLogEntry e = all.get(brokerOrderId);
        if (e == null) {
            throw ApiError.notFound("order not found").failure();
        }
        return AlpacaJson.order(e, all, replacements, nested);
    }

    private ExchangeOrderLogEntry byUuid(Context ctx, String id) {
        for (ExchangeOrderLogEntry e : all(ctx).values()) {
            if (Ids.order(e.brokerOrderId()).equals(id)) {
                return e;
            }
        }
        throw ApiError.notFound("order not found").failure();
    }

    /** The account's orders by exchange id, as they stand now. */
    private Map<String, ExchangeOrderLogEntry> all(Context ctx) {
        return entries(ctx);
    }

    private Map<String, ExchangeOrderLogEntry> entries(Context ctx) {
        String account = accountOf(ctx);
        Map<String, ExchangeOrderLogEntry> byId = new LinkedHashMap<>();
        for (ExchangeOrderLogEntry e : exchange.orderLog()) {
            if (e.accountId().equals(account)) {
                byId.put(e.brokerOrderId(), e);
            }
        }
        return byId;
    }

    private static JsonNode body(Context ctx) {
        try {
            return AlpacaJson.MAPPER.readTree(ctx.body());
        } catch (IOException e) {
            throw ApiError.invalid("request body is not valid JSON").failure();
        }
    }

    private static int limit(String text) {
        if (text == null) {
            return OrderQuery.DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= OrderQuery.MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiError.invalid("limit must be between 1 and " + OrderQuery.MAX_LIMIT + ", but was " + text).failure();
    }

    /** An RFC 3339 time, or a date (its start in UTC), as Alpaca's after and until take. */
    static Instant time(Context ctx, String param) {
        String text = ctx.queryParam(param);
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notDateTime) {
            try {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notDate) {
                throw ApiError.invalid("invalid " + param + ": " + text + " (expected RFC 3339 or YYYY-MM-DD)")
                        .failure();
            }
        }
    }

    static Symbol symbol(String text) {
        try {
            return Symbol.of(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiError.invalid("invalid symbol: " + text).failure();
        }
    }
}
