package dev.keel.alpaca;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.core.broker.Broker;
import dev.keel.core.broker.BrokerException;
import dev.keel.core.broker.Delivery;
import dev.keel.core.broker.OrderQuery;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.ErrorContext;
import dev.keel.core.marketdata.Bar;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.MarketClock;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.Position;
import dev.keel.core.model.Quote;
import dev.keel.core.model.Symbol;
import dev.keel.core.time.Sleeper;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * A {@link Broker} over Alpaca's Trading API v2 and its market data API, with {@code java.net.http} (no SDK). One
 * instance is one Alpaca account (one key pair). No method retries: resilience is the gateway's.
 *
 * <p>Order classes are Alpaca's own ({@code order_class} oco and bracket). Alpaca names the legs itself (random
 * client ids); this adapter shows them under Keel's convention ({@link Broker#TAKE_PROFIT_SUFFIX},
 * {@link Broker#STOP_LOSS_SUFFIX}): an order's {@code legs}, nested in it ({@code nested=true}), are mapped by role
 * (a limit leg is the take-profit, a stop or stop-limit leg the stop-loss), and a lookup of {@code ID:sl} finds
 * order {@code ID} and its stop-loss leg.
 */
public final class AlpacaBroker implements Broker, AutoCloseable {
    /** How many orders one list request asks for: Alpaca's largest page, 500. */
    static final int PAGE = OrderQuery.MAX_LIMIT;

    private final String accountId;
    private final AlpacaSettings settings;
    private final AlpacaHttp http;
    private final HttpClient client;
    private final boolean ownsClient;
    private final Legs legs = new Legs();

    /**
     * @param accountId Keel's id of the account these keys trade
     * @param clock     time of snapshots and of waits for Alpaca's rate-limit window (law 11)
     * @param sleeper   how a request waits for that window
     */
    public AlpacaBroker(String accountId, AlpacaSettings settings, AlpacaKeys keys, Clock clock, Sleeper sleeper) {
        this(accountId, settings, keys, client(settings), true, clock, sleeper);
    }

    /**
     * As above over a shared {@code client}, which {@link #close()} leaves open: many accounts, one connection pool
     * (and one selector thread instead of one per account). Build it with {@link #client(AlpacaSettings)}.
     */
    public AlpacaBroker(String accountId, AlpacaSettings settings, AlpacaKeys keys, HttpClient client, Clock clock,
                        Sleeper sleeper) {
        this(accountId, settings, keys, client, false, clock, sleeper);
    }

    private AlpacaBroker(String accountId, AlpacaSettings settings, AlpacaKeys keys, HttpClient client,
                         boolean ownsClient, Clock clock, Sleeper sleeper) {
        this.accountId = Objects.requireNonNull(accountId, "accountId");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.client = Objects.requireNonNull(client, "client");
        this.ownsClient = ownsClient;
        this.http = new AlpacaHttp(client, keys, settings, clock, sleeper);
    }

    /** The HTTP client the adapter expects: the settings' connect timeout, no redirects followed. */
    public static HttpClient client(AlpacaSettings settings) {
        return HttpClient.newBuilder().connectTimeout(settings.timeout()).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public String name() {
        return "alpaca";
    }

    public AlpacaSettings settings() {
        return settings;
    }

    /** Alpaca's count of requests left in its window, from the last answer's headers. */
    public RatePacer rateLimit() {
        return http.pacer();
    }

    @Override
    public AccountSnapshot account() {
        AlpacaHttp.Reply reply = http.send("GET", settings.tradingUrl(), "/v2/account", null, false);
        JsonNode account = decoded(reply, false, AlpacaJson::tree);
        List<Position> positions = positions();
        return decode(reply, false, () -> AlpacaJson.account(account, accountId, positions,
                http.clock().instant()));
    }

    /** The account's standing at Alpaca: status, trading_blocked, equity. */
    public AlpacaAccountStatus accountStatus() {
        return read("/v2/account", AlpacaJson::accountStatus);
    }

    @Override
    public List<Position> positions() {
        return read("/v2/positions", AlpacaJson::positions);
    }

    @Override
    public List<BrokerOrder> openOrders() {
        List<BrokerOrder> all = new ArrayList<>();
        Instant after = null;
        while (true) {
            List<AlpacaOrder> page = list(OrderQuery.Status.OPEN, after, PAGE);
            page.forEach(o -> all.addAll(keelView(o)));
            if (page.size() < PAGE) {
                return all;
            }
            after = page.get(page.size() - 1).order().createdAt();
        }
    }

    @Override
    public List<BrokerOrder> orders(OrderQuery query) {
        List<BrokerOrder> all = new ArrayList<>();
        for (AlpacaOrder o : list(query.status(), query.after(), query.limit())) {
            all.addAll(keelView(o));
        }
        return all;
    }

    /** One page of {@code GET /v2/orders}, oldest first, legs nested. */
    List<AlpacaOrder> list(OrderQuery.Status status, Instant after, int limit) {
        StringBuilder path = new StringBuilder("/v2/orders?status=").append(status.name().toLowerCase(Locale.ROOT))
                .append("&limit=").append(limit).append("&direction=asc&nested=true");
        if (after != null) {
            path.append("&after=").append(encode(after.toString()));
        }
        return read(path.toString(), AlpacaJson::orders);
    }

    @Override
    public BrokerOrder submit(String clientOrderId, OrderSpec spec) {
        return place(clientOrderId, AlpacaJson.orderRequest(clientOrderId, spec));
    }

    @Override
    public BrokerOrder submitOco(String clientOrderId, OrderSpec takeProfitLimit, OrderSpec stopLoss) {
        return place(clientOrderId, AlpacaJson.ocoRequest(clientOrderId, takeProfitLimit, stopLoss));
    }

    @Override
    public BrokerOrder submitBracket(String clientOrderId, OrderSpec entry, BigDecimal takeProfitLimit,
                                     BigDecimal stopLossStop, BigDecimal stopLossLimit) {
        return place(clientOrderId, AlpacaJson.bracketRequest(clientOrderId, entry, takeProfitLimit, stopLossStop,
                stopLossLimit));
    }

    @Override
    public boolean holdsOrderClasses() {
        return true;
    }

    /**
     * {@code POST /v2/orders}. Alpaca refuses a second order with a client id it holds with the same 422 as any
     * invalid order; the adapter tells them apart by a structured signal, not the message: after a 422 it looks the
     * client id up, and an order found there is the earlier submit's (DUPLICATE_CLIENT_ORDER_ID).
     */
    private BrokerOrder place(String clientOrderId, String body) {
        AlpacaHttp.Reply reply = http.send("POST", settings.tradingUrl(), "/v2/orders", body, true);
        if (reply.status() == 422) {
            BrokerException refusal = AlpacaErrors.of(reply, http.keys(), http.clock());
            Optional<BrokerOrder> existing;
            try {
                existing = orderByClientId(clientOrderId);
            } catch (BrokerException lookupFailed) {
                refusal.addSuppressed(lookupFailed);
                throw refusal;
            }
            if (existing.isPresent()) {
                throw new BrokerException(ErrorCode.DUPLICATE_CLIENT_ORDER_ID, Delivery.REFUSED, "alpaca already"
                        + " holds order " + existing.get().brokerOrderId() + " with client_order_id " + clientOrderId
                        + "; " + refusal.getMessage(), reply.status(), refusal.brokerCode(), null, null,
                        ErrorContext.NONE.with("client_order_id", clientOrderId), null);
            }
            throw refusal;
        }
        AlpacaOrder order = decoded(reply, true, answer -> AlpacaJson.order(AlpacaJson.tree(answer)));
        return remember(order).get(0);
    }

    @Override
    public Optional<BrokerOrder> orderByClientId(String clientOrderId) {
        Optional<AlpacaOrder> direct = byClientId(clientOrderId);
        if (direct.isPresent()) {
            return Optional.of(keelView(direct.get()).get(0));
        }
        Role role = Role.ofClientId(clientOrderId);
        if (role == null) {
            return Optional.empty();
        }
        String parentId = clientOrderId.substring(0, clientOrderId.length() - role.suffix.length());
        Optional<AlpacaOrder> parent = byClientId(parentId);
        if (parent.isEmpty()) {
            return Optional.empty();
        }
        AlpacaOrder nested = parent.get().legs().isEmpty() ? byId(parent.get().id()) : parent.get();
        return keelView(nested).stream().filter(o -> o.clientOrderId().equals(clientOrderId)).findFirst();
    }

    /** {@code GET /v2/orders:by_client_order_id}; empty only on Alpaca's own "not found" (law 4). */
    private Optional<AlpacaOrder> byClientId(String clientOrderId) {
        AlpacaHttp.Reply reply = http.send("GET", settings.tradingUrl(),
                "/v2/orders:by_client_order_id?client_order_id=" + encode(clientOrderId), null, false);
        if (reply.status() == 404) {
            notFound(reply);
            return Optional.empty();
        }
        return Optional.of(decoded(reply, false, body -> AlpacaJson.order(AlpacaJson.tree(body))));
    }

    private AlpacaOrder byId(String brokerOrderId) {
        return read("/v2/orders/" + encode(brokerOrderId) + "?nested=true", AlpacaJson::order);
    }

    /**
     * {@code DELETE /v2/orders/{id}}, which answers 204 without a body, then the order as it stands. Alpaca answers
     * 422 for an order that can no longer be cancelled (filled, already cancelled): the order as it stands is the
     * answer then too, when it has ended.
     */
    @Override
    public BrokerOrder cancel(String brokerOrderId) {
        AlpacaHttp.Reply reply = http.send("DELETE", settings.tradingUrl(), "/v2/orders/" + encode(brokerOrderId),
                null, true);
        if (reply.status() == 422) {
            BrokerException refusal = AlpacaErrors.of(reply, http.keys(), http.clock());
            BrokerOrder now;
            try {
                now = view(byId(brokerOrderId));
            } catch (BrokerException lookupFailed) {
                refusal.addSuppressed(lookupFailed);
                throw refusal;
            }
            if (now.state().isTerminal()) {
                return now;
            }
            throw refusal;
        }
        if (!reply.ok()) {
            throw AlpacaErrors.of(reply, http.keys(), http.clock());
        }
        try {
            return view(byId(brokerOrderId));
        } catch (BrokerException e) {
            // The cancel was accepted; only its result is unknown.
            throw new BrokerException(e.code(), Delivery.AMBIGUOUS, "alpaca accepted the cancel of " + brokerOrderId
                    + " but the order could not be read back: " + e.getMessage(), e.httpStatus(), e.brokerCode(),
                    e.retryAfter(), e.rawResponse(), ErrorContext.NONE, e);
        }
    }

    @Override
    public Quote quote(Symbol symbol) {
        return quote(symbol, settings.feed());
    }

    /** The latest quote of {@code symbol} on {@code feed} (iex, sip, delayed_sip...). */
    public Quote quote(Symbol symbol, String feed) {
        AlpacaHttp.Reply reply = http.send("GET", settings.dataUrl(), "/v2/stocks/" + encode(symbol.value())
                + "/quotes/latest?feed=" + encode(feed), null, false);
        return decoded(reply, false, body -> AlpacaJson.quote(AlpacaJson.tree(body), symbol));
    }

    /**
     * Daily bars of {@code symbol} from the data API ({@code timeframe=1Day}, raw prices, the configured feed),
     * starting at or after {@code from} and before {@code to}, oldest first, every page followed.
     */
    public List<Bar> dailyBars(Symbol symbol, Instant from, Instant to) {
        List<Bar> bars = new ArrayList<>();
        String token = null;
        do {
            String path = "/v2/stocks/" + encode(symbol.value()) + "/bars?timeframe=1Day&adjustment=raw&start="
                    + encode(from.toString()) + "&end=" + encode(to.toString()) + "&limit=10000&feed="
                    + encode(settings.feed()) + (token == null ? "" : "&page_token=" + encode(token));
            AlpacaHttp.Reply reply = http.send("GET", settings.dataUrl(), path, null, false);
            JsonNode page = decoded(reply, false, AlpacaJson::tree);
            bars.addAll(decode(reply, false, () -> AlpacaJson.bars(page, Duration.ofDays(1))));
            token = AlpacaJson.nextPageToken(page);
        } while (token != null);
        return bars;
    }

    @Override
    public MarketClock clock() {
        return read("/v2/clock", AlpacaJson::clock);
    }

    /** The default first wait before reconnecting the stream: 1 s, doubling to at most a minute. */
    public static final Duration STREAM_BACKOFF = Duration.ofSeconds(1);

    /**
     * The {@code trade_updates} stream of this account, not yet started: updates go to {@code listener}, waits run on
     * {@code scheduler}, jitter from the seeded {@code random}.
     */
    public TradeUpdateStream tradeUpdates(TradeUpdateListener listener, ScheduledExecutorService scheduler,
                                          RandomGenerator random) {
        return tradeUpdates(listener, scheduler, random, STREAM_BACKOFF, Duration.ofMinutes(1));
    }

    /** The default time between the stream's pings, by which it notices a connection cut without a word: 10 s. */
    public static final Duration STREAM_HEARTBEAT = Duration.ofSeconds(10);

    /** As above with the reconnect backoff's first and longest wait. */
    public TradeUpdateStream tradeUpdates(TradeUpdateListener listener, ScheduledExecutorService scheduler,
                                          RandomGenerator random, Duration initialBackoff, Duration maxBackoff) {
        return tradeUpdates(listener, scheduler, random, initialBackoff, maxBackoff, STREAM_HEARTBEAT);
    }

    /** As above with the time between pings: a cut connection is noticed within two of them. */
    public TradeUpdateStream tradeUpdates(TradeUpdateListener listener, ScheduledExecutorService scheduler,
                                          RandomGenerator random, Duration initialBackoff, Duration maxBackoff,
                                          Duration heartbeat) {
        return new TradeUpdateStream(this, http.keys(), settings.streamUrl(), listener, scheduler, random,
                initialBackoff, maxBackoff, settings.timeout(), heartbeat);
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }

    // ---- legs

    /** An order and its legs as Keel names them; remembers each leg's Keel id for later answers about it. */
    List<BrokerOrder> keelView(AlpacaOrder order) {
        return remember(order);
    }

    private List<BrokerOrder> remember(AlpacaOrder order) {
        List<BrokerOrder> view = new ArrayList<>();
        view.add(view(order));
        String parent = view.get(0).clientOrderId();
        for (AlpacaOrder leg : order.legs()) {
            Role role = Role.of(order.orderClass(), leg.order().spec());
            if (role == null) {
                view.add(leg.order());
                continue;
            }
            String keelId = parent + role.suffix;
            legs.put(leg.id(), keelId);
            view.add(renamed(leg.order(), keelId));
        }
        return view;
    }

    /** An order under Keel's name for it: a leg seen before gets its Keel id back. */
    BrokerOrder view(AlpacaOrder order) {
        String keelId = legs.get(order.id());
        return keelId == null ? order.order() : renamed(order.order(), keelId);
    }

    private static BrokerOrder renamed(BrokerOrder o, String clientOrderId) {
        return new BrokerOrder(o.brokerOrderId(), clientOrderId, o.spec(), o.state(), o.filledQuantity(),
                o.filledAvgPrice(), o.createdAt(), o.updatedAt());
    }

    /** Which leg of an order class an order is, by its type: a limit takes profit, a stop stops the loss. */
    enum Role {
        TAKE_PROFIT(TAKE_PROFIT_SUFFIX), STOP_LOSS(STOP_LOSS_SUFFIX);

        final String suffix;

        Role(String suffix) {
            this.suffix = suffix;
        }

        static Role of(String orderClass, OrderSpec leg) {
            return switch (leg.type()) {
                case LIMIT -> "oco".equals(orderClass) ? null : TAKE_PROFIT;
                case STOP, STOP_LIMIT -> STOP_LOSS;
                case MARKET -> null;
            };
        }

        static Role ofClientId(String clientOrderId) {
            for (Role r : values()) {
                if (clientOrderId.endsWith(r.suffix) && clientOrderId.length() > r.suffix.length()) {
                    return r;
                }
            }
            return null;
        }
    }

    // ---- plumbing

    private <T> T read(String path, Function<JsonNode, T> decoder) {
        AlpacaHttp.Reply reply = http.send("GET", settings.tradingUrl(), path, null, false);
        return decoded(reply, false, body -> decoder.apply(AlpacaJson.tree(body)));
    }

    private <T> T decoded(AlpacaHttp.Reply reply, boolean write, Function<String, T> decoder) {
        if (!reply.ok()) {
            throw AlpacaErrors.of(reply, http.keys(), http.clock());
        }
        return decode(reply, write, () -> decoder.apply(reply.body()));
    }

    private <T> T decode(AlpacaHttp.Reply reply, boolean write, java.util.function.Supplier<T> decoding) {
        try {
            return decoding.get();
        } catch (AlpacaJson.Unreadable e) {
            throw AlpacaErrors.unrecognized(reply, write, e.getMessage(), http.keys());
        }
    }

    /** A 404 is "not found" only when it is Alpaca's own (code 40410000); any other 404 is not understood. */
    private void notFound(AlpacaHttp.Reply reply) {
        AlpacaErrors.Body body = AlpacaErrors.body(reply.body());
        if (body == null || !"40410000".equals(body.code())) {
            throw AlpacaErrors.unrecognized(reply, false, "a 404 without Alpaca's not-found code 40410000 (a wrong"
                    + " base URL?) says nothing about the order", http.keys());
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
