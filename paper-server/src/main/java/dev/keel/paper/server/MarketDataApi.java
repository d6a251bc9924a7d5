package dev.keel.paper.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.broker.BrokerException;
import dev.keel.core.marketdata.Bar;
import dev.keel.core.model.Quote;
import dev.keel.core.model.Symbol;
import dev.keel.paper.PaperExchange;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Alpaca's market data API v2 for stocks, from the exchange's prices: latest quotes (through the broker's quote
 * call, so quote faults apply) and daily bars of its recorded price path. Sizes, exchanges and conditions are
 * placeholders; volume is 0.
 */
final class MarketDataApi {
    private final PaperExchange exchange;
    private final Clock clock;

    MarketDataApi(PaperExchange exchange, Clock clock) {
        this.exchange = exchange;
        this.clock = clock;
    }

    void latestQuote(Context ctx) {
        Symbol symbol = TradingApi.symbol(ctx.pathParam("symbol"));
        ObjectNode body = AlpacaJson.MAPPER.createObjectNode();
        body.put("symbol", symbol.value());
        body.set("quote", quote(exchange.broker(TradingApi.accountOf(ctx)).quote(symbol)));
        TradingApi.json(ctx, 200, body);
    }

    void latestQuotes(Context ctx) {
        String symbols = ctx.queryParam("symbols");
        if (symbols == null || symbols.isBlank()) {
            throw ApiError.invalid("symbols is required").failure();
        }
        ObjectNode body = AlpacaJson.MAPPER.createObjectNode();
        ObjectNode quotes = body.putObject("quotes");
        for (String s : symbols.split(",")) {
            Symbol symbol = TradingApi.symbol(s.trim());
            try {
                quotes.set(symbol.value(), quote(exchange.broker(TradingApi.accountOf(ctx)).quote(symbol)));
            } catch (BrokerException unknown) {
                if (Answers.transportFault(unknown) != null) {
                    throw unknown;
                }
                // Alpaca leaves out a symbol it has no quote for
            }
        }
        TradingApi.json(ctx, 200, body);
    }

    void bars(Context ctx) {
        Symbol symbol = TradingApi.symbol(ctx.pathParam("symbol"));
        String timeframe = ctx.queryParam("timeframe");
        if (!"1Day".equals(timeframe) && !"1D".equals(timeframe)) {
            throw ApiError.invalid("invalid timeframe: " + timeframe + " (the paper server serves 1Day)").failure();
        }
        Instant now = clock.instant();
        Instant end = time(ctx, "end", now);
        Instant start = time(ctx, "start", end.minus(Duration.ofDays(10)));
        int limit = ctx.queryParam("limit") == null ? 1000 : Integer.parseInt(ctx.queryParam("limit"));
        List<Bar> bars = exchange.marketData().bars(symbol, start, end, Duration.ofDays(1));
        ObjectNode body = AlpacaJson.MAPPER.createObjectNode();
        ArrayNode list = body.putArray("bars");
        bars.stream().limit(limit).forEach(b -> {
            ObjectNode o = list.addObject();
            o.put("t", DateTimeFormatter.ISO_INSTANT.format(b.start()));
            o.put("o", b.open());
            o.put("h", b.high());
            o.put("l", b.low());
            o.put("c", b.close());
            o.put("v", 0);
            o.put("n", 0);
            o.put("vw", b.close());
        });
        body.put("symbol", symbol.value());
        body.putNull("next_page_token");
        TradingApi.json(ctx, 200, body);
    }

    private static ObjectNode quote(Quote q) {
        ObjectNode o = AlpacaJson.MAPPER.createObjectNode();
        o.put("t", DateTimeFormatter.ISO_INSTANT.format(q.at()));
        o.put("ax", "V");
        o.put("ap", q.ask());
        o.put("as", 1);
        o.put("bx", "V");
        o.put("bp", q.bid());
        o.put("bs", 1);
        o.putArray("c").add("R");
        o.put("z", "B");
        return o;
    }

    private static Instant time(Context ctx, String param, Instant otherwise) {
        Instant given = TradingApi.time(ctx, param);
        return given == null ? otherwise : given;
    }
}
