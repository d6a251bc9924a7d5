package dev.keel.paper.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.MarketClock;
import dev.keel.core.model.OrderClass;
import dev.keel.core.model.OrderState;
import dev.keel.core.model.Position;
import dev.keel.paper.ExchangeOrderLogEntry;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/** The exchange's objects in Alpaca's JSON shape: snake_case fields, decimals as strings, UUID ids. */
final class AlpacaJson {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private AlpacaJson() {
    }

    static String decimal(BigDecimal value) {
        return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
    }

    private static String time(Instant t) {
        return t == null ? null : DateTimeFormatter.ISO_INSTANT.format(t);
    }

    /** Alpaca's clock shows New York time with its offset. */
    private static String newYork(Instant t) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.atZone(NEW_YORK).toOffsetDateTime());
    }

    static String status(ExchangeOrderLogEntry e, Replacements replacements) {
        if (e.state() == OrderState.CANCELLED && replacements.replacedBy(e.brokerOrderId()) != null) {
            return "replaced";
        }
        return switch (e.state()) {
            case ACCEPTED, INTENDED, UNKNOWN -> "new";
            case PARTIALLY_FILLED -> "partially_filled";
            case FILLED -> "filled";
            case CANCELLED -> "canceled";
            case EXPIRED -> "expired";
            case REJECTED, FAILED -> "rejected";
        };
    }

    static String orderClass(OrderClass c) {
        return c.name().toLowerCase(Locale.ROOT);
    }

    /**
     * An order; with {@code nested} its legs are rolled up under {@code legs}, else {@code legs} is null.
     *
     * @param all every order of the account by exchange id, to find legs
     */
    static ObjectNode order(ExchangeOrderLogEntry e, Map<String, ExchangeOrderLogEntry> all, Replacements replacements,
                            boolean nested) {
        ObjectNode o = MAPPER.createObjectNode();
        String status = status(e, replacements);
        o.put("id", Ids.order(e.brokerOrderId()));
        o.put("client_order_id", e.clientOrderId());
        o.put("created_at", time(e.createdAt()));
        o.put("updated_at", time(e.updatedAt()));
        o.put("submitted_at", time(e.createdAt()));
        o.put("filled_at", e.state() == OrderState.FILLED && !e.fills().isEmpty()
                ? time(e.fills().get(e.fills().size() - 1).at()) : null);
        o.put("expired_at", e.state() == OrderState.EXPIRED ? time(e.updatedAt()) : null);
        o.put("canceled_at", status.equals("canceled") ? time(e.updatedAt()) : null);
        o.putNull("failed_at");
        Replacements.Link link = replacements.replacedBy(e.brokerOrderId());
        o.put("replaced_at", link == null ? null : time(link.at()));
        o.put("replaced_by", link == null ? null : Ids.order(link.newBrokerOrderId()));
        String replaced = replacements.replaces(e.brokerOrderId());
        o.put("replaces", replaced == null ? null : Ids.order(replaced));
        o.put("asset_id", Ids.asset(e.spec().symbol().value()));
        o.put("symbol", e.spec().symbol().value());
        o.put("asset_class", "us_equity");
        o.put("notional", e.spec().notional() == null ? null : decimal(e.spec().notional()));
        o.put("qty", e.spec().quantity() == null ? null : decimal(e.spec().quantity()));
        o.put("filled_qty", decimal(e.filledQuantity()));
        o.put("filled_avg_price", e.filledAvgPrice() == null ? null : decimal(e.filledAvgPrice()));
        o.put("order_class", orderClass(e.orderClass()));
        String type = e.spec().type().name().toLowerCase(Locale.ROOT);
        o.put("order_type", type);
        o.put("type", type);
        o.put("side", e.spec().side().name().toLowerCase(Locale.ROOT));
        o.put("time_in_force", e.spec().timeInForce().name().toLowerCase(Locale.ROOT));
        o.put("limit_price", e.spec().limitPrice() == null ? null : decimal(e.spec().limitPrice()));
        o.put("stop_price", e.spec().stopPrice() == null ? null : decimal(e.spec().stopPrice()));
        o.put("status", status);
        o.put("extended_hours", false);
        o.putNull("trail_percent");
        o.putNull("trail_price");
        o.putNull("hwm");
        if (nested && !e.legOrderIds().isEmpty()) {
            ArrayNode legs = o.putArray("legs");
            for (String leg : e.legOrderIds()) {
                ExchangeOrderLogEntry l = all.get(leg);
                if (l != null) {
                    legs.add(order(l, all, replacements, false));
                }
            }
        } else {
            o.putNull("legs");
        }
        return o;
    }

    static ObjectNode account(AccountSnapshot a, Instant createdAt) {
        ObjectNode o = MAPPER.createObjectNode();
        BigDecimal longValue = BigDecimal.ZERO;
        for (Position p : a.positions()) {
            longValue = longValue.add(p.marketValue());
        }
        o.put("id", Ids.account(a.accountId()));
        o.put("account_number", a.accountId());
        o.put("status", "ACTIVE");
        o.put("crypto_status", "INACTIVE");
        o.put("currency", "USD");
        o.put("cash", decimal(a.cash()));
        o.put("buying_power", decimal(a.buyingPower()));
        o.put("regt_buying_power", decimal(a.buyingPower()));
        o.put("daytrading_buying_power", "0");
        o.put("non_marginable_buying_power", decimal(a.buyingPower()));
        o.put("options_buying_power", "0");
        o.put("equity", decimal(a.equity()));
        o.put("last_equity", decimal(a.equity()));
        o.put("portfolio_value", decimal(a.equity()));
        o.put("long_market_value", decimal(longValue));
        o.put("short_market_value", "0");
        o.put("initial_margin", "0");
        o.put("maintenance_margin", "0");
        o.put("last_maintenance_margin", "0");
        o.put("sma", "0");
        o.put("multiplier", "1");
        o.put("daytrade_count", 0);
        o.put("pattern_day_trader", false);
        o.put("trading_blocked", false);
        o.put("transfers_blocked", false);
        o.put("account_blocked", false);
        o.put("trade_suspended_by_user", false);
        o.put("shorting_enabled", false);
        o.put("accrued_fees", "0");
        o.put("pending_transfer_in", "0");
        o.put("created_at", time(createdAt));
        o.put("balance_asof", a.asOf().atZone(NEW_YORK).toLocalDate().toString());
        return o;
    }

    static ObjectNode position(Position p) {
        ObjectNode o = MAPPER.createObjectNode();
        String price = decimal(p.marketPrice());
        String value = decimal(p.marketValue());
        o.put("asset_id", Ids.asset(p.symbol().value()));
        o.put("symbol", p.symbol().value());
        o.put("exchange", "ARCA");
        o.put("asset_class", "us_equity");
        o.put("asset_marginable", false);
        o.put("qty", decimal(p.quantity()));
        o.put("qty_available", decimal(p.quantity()));
        o.put("side", p.quantity().signum() < 0 ? "short" : "long");
        // the exchange keeps no cost basis: the entry price shown is the current one, so the P&L is zero
        o.put("avg_entry_price", price);
        o.put("market_value", value);
        o.put("cost_basis", value);
        o.put("unrealized_pl", "0");
        o.put("unrealized_plpc", "0");
        o.put("unrealized_intraday_pl", "0");
        o.put("unrealized_intraday_plpc", "0");
        o.put("current_price", price);
        o.put("lastday_price", price);
        o.put("change_today", "0");
        return o;
    }

    static ObjectNode clock(MarketClock c) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("timestamp", newYork(c.now()));
        o.put("is_open", c.open());
        o.put("next_open", newYork(c.nextOpen()));
        o.put("next_close", newYork(c.nextClose()));
        return o;
    }

    static ObjectNode error(ApiError e) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("code", e.code());
        o.put("message", e.message());
        return o;
    }
}
