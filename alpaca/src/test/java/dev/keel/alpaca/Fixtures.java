package dev.keel.alpaca;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Alpaca's answers as Alpaca sends them. The order is the spec's own EquityOrderResponse example; the error bodies
 * are ones Alpaca sent to users (quoted in public issue threads of alpaca-py, Alpaca-API, alpaca-java, lumibot).
 */
final class Fixtures {
    static final ObjectMapper MAPPER = new ObjectMapper();

    /** The spec's EquityOrderResponse example. */
    static final String EQUITY_ORDER = """
            {"asset_class": "us_equity", "asset_id": "b0b6dd9d-8b9b-48a9-ba46-b9d54906e415", "canceled_at": null,
             "client_order_id": "5680c4bc-9ac1-4a12-a44c-df427ba53032", "created_at": "2023-12-12T22:31:24.668464435Z",
             "expired_at": null, "extended_hours": false, "failed_at": null, "filled_at": null,
             "filled_avg_price": null, "filled_qty": "0", "hwm": null, "id": "7b08df51-c1ac-453c-99f9-323a5f075f0d",
             "legs": null, "limit_price": "150", "notional": null, "order_class": "", "order_type": "limit",
             "qty": "2", "replaced_at": null, "replaced_by": null, "replaces": null, "side": "buy", "source": null,
             "status": "accepted", "stop_price": null, "submitted_at": "2023-12-12T22:31:24.577215743Z",
             "subtag": null, "symbol": "AAPL", "time_in_force": "gtc", "trail_percent": null, "trail_price": null,
             "type": "limit", "updated_at": "2023-12-12T22:31:24.668464435Z"}""";

    /** The spec's account example. */
    static final String ACCOUNT = """
            {"account_blocked": false, "account_number": "PALPACA_123", "accrued_fees": "0", "buying_power":
             "245432.61", "cash": "122086.5", "created_at": "2023-01-01T18:20:20.272275Z", "currency": "USD",
             "daytrade_count": 0, "equity": "123346.11", "id": "1d9eed04-be39-4e01-9b84-a48ac5bbafcf",
             "long_market_value": "1259.61", "multiplier": "2", "non_marginable_buying_power": "122086.5",
             "pattern_day_trader": true, "portfolio_value": "123346.11", "shorting_enabled": true, "status": "ACTIVE",
             "trade_suspended_by_user": false, "trading_blocked": false, "transfers_blocked": false}""";

    static final String POSITIONS = """
            [{"asset_id": "904837e3-3b76-47ec-b432-046db621571b", "symbol": "AAPL", "exchange": "NASDAQ",
              "asset_class": "us_equity", "avg_entry_price": "100.0", "qty": "5", "qty_available": "5",
              "side": "long", "market_value": "600.0", "cost_basis": "500.0", "unrealized_pl": "100.0",
              "unrealized_plpc": "0.20", "unrealized_intraday_pl": "10.0", "unrealized_intraday_plpc": "0.0084",
              "current_price": "120.0", "lastday_price": "119.0", "change_today": "0.0084",
              "asset_marginable": true}]""";

    static final String CLOCK = """
            {"timestamp": "2024-04-15T10:15:30.123-04:00", "is_open": true,
             "next_open": "2024-04-16T09:30:00-04:00", "next_close": "2024-04-15T16:00:00-04:00"}""";

    /** Data API latest quote (v2/stocks/{symbol}/quotes/latest). */
    static final String QUOTE = """
            {"symbol": "AAPL", "quote": {"t": "2024-04-15T14:15:30.123456789Z", "ax": "V", "ap": 172.55,
             "as": 2, "bx": "V", "bp": 172.5, "bs": 1, "c": ["R"], "z": "C"}}""";

    // Real error bodies.
    static final String INSUFFICIENT_BUYING_POWER =
            "{\"buying_power\":\"176531.28\",\"code\":40310000,\"cost_basis\":\"48640000\","
                    + "\"message\":\"insufficient buying power\"}";
    static final String NOT_ALLOWED = "{\"code\":40010001,\"message\":\"us_equity orders not allowed for account\"}";
    static final String ALREADY_FILLED = "{\"code\":42210000,\"message\":\"order is already in \\\"filled\\\" state\"}";
    static final String NOT_FOUND = "{\"code\":40410000,\"message\":\"order not found\"}";
    static final String FORBIDDEN = "{\"message\": \"forbidden.\"}";
    static final String UNAUTHORIZED = "{\"code\":40110000,\"message\":\"request is not authorized\"}";
    static final String RATE_LIMITED = "{\"code\":42910000,\"message\":\"rate limit exceeded\"}";
    static final String BAD_GATEWAY = "<html><head><title>502 Bad Gateway</title></head><body>"
            + "<center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";

    private Fixtures() {
    }

    /** An order in Alpaca's shape, starting from the spec's example. */
    static OrderJson order(String id, String clientOrderId) {
        return new OrderJson(id, clientOrderId);
    }

    static final class OrderJson {
        private final ObjectNode node;

        OrderJson(String id, String clientOrderId) {
            try {
                node = (ObjectNode) MAPPER.readTree(EQUITY_ORDER);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            node.put("id", id).put("client_order_id", clientOrderId);
        }

        OrderJson set(String field, String value) {
            if (value == null) {
                node.putNull(field);
            } else {
                node.put(field, value);
            }
            return this;
        }

        OrderJson market(String qty) {
            return set("type", "market").set("order_type", "market").set("limit_price", null).set("qty", qty)
                    .set("time_in_force", "day");
        }

        OrderJson status(String status, String filledQty, String avgPrice) {
            return set("status", status).set("filled_qty", filledQty).set("filled_avg_price", avgPrice);
        }

        OrderJson legs(OrderJson... legs) {
            ArrayNode array = node.putArray("legs");
            for (OrderJson leg : legs) {
                array.add(leg.node);
            }
            return this;
        }

        @Override
        public String toString() {
            return node.toString();
        }
    }
}
