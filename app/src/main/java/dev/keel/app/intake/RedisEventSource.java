package dev.keel.app.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.events.DeadLetter;
import dev.keel.core.events.DeadLetters;
import dev.keel.core.events.Delivery;
import dev.keel.core.events.EventSource;
import dev.keel.core.events.Failure;
import io.lettuce.core.Consumer;
import io.lettuce.core.Range;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.ClaimedMessages;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Events from a Redis stream through a consumer group (XREADGROUP, XACK), the same contract as the embedded inbox.
 * A delivery whose consumer died is claimed by another with XAUTOCLAIM once it has been idle for the visibility
 * timeout (Redis measures that idle time). A retry is acknowledged and parked in a sorted set until its backoff has
 * passed (by the injected clock), then added to the stream again with its delivery count; dead letters go to the
 * stream {@code STREAM:dlq}. Every move that touches two keys is one Lua script, so a crash between two commands
 * cannot lose or double a message, and a receipt that is no longer current (its delivery claimed by another)
 * settles nothing.
 *
 * <p>Keys beside the stream: {@code :ids} (event ids queued, so a push is idempotent), {@code :delayed} (retries
 * waiting for their backoff), {@code :deliveries} (deliveries per stream entry), {@code :dlq}, {@code :dlq:index}
 * (event id to dead-letter entry) and {@code :dlq:resolved} (resolutions).
 */
public final class RedisEventSource implements EventSource, DeadLetters {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String PUSH = """
            if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return 0 end
            if redis.call('HSETNX', KEYS[1], ARGV[1], '1') == 0 then return 0 end
            redis.call('XADD', KEYS[3], '*', 'id', ARGV[1], 'account', ARGV[2], 'body', ARGV[3], 'attempt', '0',
                'first_taken', '', 'code', '', 'error', '')
            return 1
            """;
    private static final String MOVE_DUE = """
            local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 100)
            for _, m in ipairs(due) do
              redis.call('ZREM', KEYS[1], m)
              local f = cjson.decode(m)
              redis.call('XADD', KEYS[2], '*', 'id', f.id, 'account', f.account, 'body', f.body,
                  'attempt', f.attempt, 'first_taken', f.first_taken, 'code', f.code, 'error', f.error)
            end
            return #due
            """;
    // KEYS: stream, deliveries, ids, delayed, dlq, dlq index.
    // ARGV: group, entry, consumer, delivery count, event id, mode, then per mode: retry: due ms, member;
    // dead: code, reason, attempts, first taken, dead at, account, body.
    private static final String SETTLE = """
            local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[2], ARGV[2], 1)
            if #p == 0 or p[1][2] ~= ARGV[3] or redis.call('HGET', KEYS[2], ARGV[2]) ~= ARGV[4] then return 0 end
            redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
            redis.call('XDEL', KEYS[1], ARGV[2])
            redis.call('HDEL', KEYS[2], ARGV[2], ARGV[2] .. ':first')
            if ARGV[6] == 'ack' then
              redis.call('HDEL', KEYS[3], ARGV[5])
            elseif ARGV[6] == 'retry' then
              redis.call('ZADD', KEYS[4], ARGV[7], ARGV[8])
            else
              local dead = redis.call('XADD', KEYS[5], '*', 'id', ARGV[5], 'account', ARGV[12], 'body', ARGV[13],
                  'code', ARGV[7], 'reason', ARGV[8], 'attempts', ARGV[9], 'first_taken', ARGV[10],
                  'dead_at', ARGV[11])
              redis.call('HSET', KEYS[6], ARGV[5], dead)
              redis.call('HDEL', KEYS[3], ARGV[5])
            end
            return 1
            """;
    // KEYS: dlq, dlq index, resolved, ids, stream. ARGV: event id.
    private static final String REDRIVE = """
            local e = redis.call('HGET', KEYS[2], ARGV[1])
            if not e then return 0 end
            local r = redis.call('XRANGE', KEYS[1], e, e)
            redis.call('HDEL', KEYS[2], ARGV[1])
            redis.call('HDEL', KEYS[3], ARGV[1])
            if #r == 0 then return 0 end
            local f = r[1][2]
            local m = {}
            for i = 1, #f, 2 do m[f[i]] = f[i + 1] end
            redis.call('XADD', KEYS[5], '*', 'id', m.id, 'account', m.account, 'body', m.body, 'attempt', '0',
                'first_taken', '', 'code', '', 'error', '')
            redis.call('XDEL', KEYS[1], e)
            redis.call('HSET', KEYS[4], ARGV[1], '1')
            return 1
            """;

    /**
     * While the server is gone, a command fails at once instead of waiting in Lettuce's queue for the reconnection
     * (its default), and one in flight fails after {@link #COMMAND_TIMEOUT}: the consume loop then sees the outage,
     * says so, and backs off, taking no work; the connection comes back by itself when the server does.
     */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
    private static final ClientOptions OUTAGE_OPTIONS = ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
            .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(5)).build())
            .build();

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisCommands<String, String> redis;
    private final String stream;
    private final String group;
    private final String consumer;
    private final Clock clock;

    private RedisEventSource(RedisClient client, StatefulRedisConnection<String, String> connection, String stream,
                             String group, String consumer, Clock clock) {
        this.client = client;
        this.connection = connection;
        this.redis = connection.sync();
        this.stream = stream;
        this.group = group;
        this.consumer = consumer;
        this.clock = clock;
    }

    /**
     * Connects to {@code url} and joins (or creates, with the stream) the consumer group {@code group} as
     * {@code consumer}.
     *
     * @throws KeelException EVENTS_UNAVAILABLE when the server cannot be reached
     */
    public static RedisEventSource open(String url, String stream, String group, String consumer, Clock clock) {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(consumer, "consumer");
        Objects.requireNonNull(clock, "clock");
        RedisClient client = RedisClient.create(url);
        client.setOptions(OUTAGE_OPTIONS);
        try {
            StatefulRedisConnection<String, String> connection = client.connect();
            try {
                connection.sync().xgroupCreate(XReadArgs.StreamOffset.from(stream, "0-0"), group,
                        XGroupCreateArgs.Builder.mkstream());
            } catch (RedisBusyException exists) {
                // BUSYGROUP: another worker created it first
            }
            return new RedisEventSource(client, connection, stream, group, consumer, clock);
        } catch (RuntimeException e) {
            client.shutdown();
            if (e instanceof io.lettuce.core.RedisConnectionException) {
                throw new KeelException(ErrorCode.EVENTS_UNAVAILABLE, "the Redis server at " + withoutPassword(url)
                        + " cannot be reached: " + e.getMessage(), dev.keel.core.error.ErrorContext.NONE, e);
            }
            throw e;
        }
    }

    private static String withoutPassword(String url) {
        return url.replaceAll("//[^@/]*@", "//***@");
    }

    private String key(String suffix) {
        return stream + ":" + suffix;
    }

    @Override
    public boolean push(String messageId, String accountId, String body) {
        Long added = redis.eval(PUSH, ScriptOutputType.INTEGER, new String[] {key("ids"), key("dlq:index"), stream},
                messageId, accountId == null ? "" : accountId, body);
        return added != null && added == 1;
    }

    @Override
    public Optional<Delivery> take(Duration visibility) {
        if (visibility.isNegative() || visibility.isZero()) {
            throw new IllegalArgumentException("visibility must be positive, but was " + visibility);
        }
        redis.eval(MOVE_DUE, ScriptOutputType.INTEGER, new String[] {key("delayed"), stream},
                Long.toString(clock.millis()));
        Consumer<String> me = Consumer.from(group, consumer);
        String cursor = "0-0";
        for (int i = 0; i < 10; i++) {
            ClaimedMessages<String, String> claimed = redis.xautoclaim(stream, new XAutoClaimArgs<String>()
                    .consumer(me).minIdleTime(visibility).startId(cursor).count(1));
            if (!claimed.getMessages().isEmpty()) {
                return Optional.of(deliver(claimed.getMessages().getFirst()));
            }
            cursor = claimed.getId();
            if (cursor == null || cursor.equals("0-0")) {
                break;
            }
        }
        List<StreamMessage<String, String>> fresh = readNew(me);
        return fresh.isEmpty() ? Optional.empty() : Optional.of(deliver(fresh.getFirst()));
    }

    @SuppressWarnings("unchecked") // Lettuce's xreadgroup takes its stream offsets as generic varargs
    private List<StreamMessage<String, String>> readNew(Consumer<String> me) {
        return redis.xreadgroup(me, XReadArgs.Builder.count(1), XReadArgs.StreamOffset.lastConsumed(stream));
    }

    private Delivery deliver(StreamMessage<String, String> m) {
        Map<String, String> f = m.getBody();
        long count = redis.hincrby(key("deliveries"), m.getId(), 1);
        int attempt = Integer.parseInt(f.getOrDefault("attempt", "0")) + (int) count;
        String first = f.getOrDefault("first_taken", "");
        if (first.isEmpty()) {
            redis.hsetnx(key("deliveries"), m.getId() + ":first", clock.instant().toString());
            first = redis.hget(key("deliveries"), m.getId() + ":first");
        }
        String code = f.getOrDefault("code", "");
        Failure last = code.isEmpty() ? null : new Failure(ErrorCode.valueOf(code), f.getOrDefault("error", ""));
        return new Delivery(f.get("id"), blankToNull(f.get("account")), f.get("body"), attempt,
                m.getId() + "/" + count, Instant.parse(first), last);
    }

    @Override
    public void ack(Delivery delivery) {
        settle(delivery, "ack");
    }

    @Override
    public void retry(Delivery delivery, Duration backoff, Failure failure) {
        Map<String, String> member = new LinkedHashMap<>();
        member.put("id", delivery.messageId());
        member.put("account", delivery.accountId() == null ? "" : delivery.accountId());
        member.put("body", delivery.body());
        member.put("attempt", Integer.toString(delivery.attempt()));
        member.put("first_taken", delivery.firstTaken() == null ? "" : delivery.firstTaken().toString());
        member.put("code", failure.code().name());
        member.put("error", failure.message());
        settle(delivery, "retry", Long.toString(clock.instant().plus(backoff).toEpochMilli()), json(member));
    }

    @Override
    public void deadLetter(Delivery delivery, Failure failure) {
        settle(delivery, "dead", failure.code().name(), failure.message(), Integer.toString(delivery.attempt()),
                delivery.firstTaken() == null ? "" : delivery.firstTaken().toString(), clock.instant().toString(),
                delivery.accountId() == null ? "" : delivery.accountId(), delivery.body());
    }

    private void settle(Delivery delivery, String mode, String... extra) {
        String[] receipt = delivery.receipt().split("/", 2);
        List<String> args = new ArrayList<>(List.of(group, receipt[0], consumer, receipt[1], delivery.messageId(),
                mode));
        args.addAll(List.of(extra));
        redis.eval(SETTLE, ScriptOutputType.INTEGER, new String[] {stream, key("deliveries"), key("ids"),
                key("delayed"), key("dlq"), key("dlq:index")}, args.toArray(String[]::new));
    }

    @Override
    public DeadLetters deadLetters() {
        return this;
    }

    @Override
    public long pending() {
        return redis.xlen(stream) + redis.zcard(key("delayed"));
    }

    @Override
    public List<DeadLetter> list() {
        Map<String, String> resolved = redis.hgetall(key("dlq:resolved"));
        return redis.xrange(key("dlq"), Range.create("-", "+")).stream()
                .map(m -> deadLetter(m.getBody(), resolved.get(m.getBody().get("id")))).toList();
    }

    @Override
    public Optional<DeadLetter> find(String messageId) {
        String entry = redis.hget(key("dlq:index"), messageId);
        if (entry == null) {
            return Optional.empty();
        }
        return redis.xrange(key("dlq"), Range.create(entry, entry)).stream().findFirst()
                .map(m -> deadLetter(m.getBody(), redis.hget(key("dlq:resolved"), messageId)));
    }

    @Override
    public boolean retry(String messageId) {
        Long moved = redis.eval(REDRIVE, ScriptOutputType.INTEGER, new String[] {key("dlq"), key("dlq:index"),
                key("dlq:resolved"), key("ids"), stream}, messageId);
        return moved != null && moved == 1;
    }

    @Override
    public Optional<DeadLetter> resolve(String messageId, String by, String note, Instant at) {
        if (find(messageId).isEmpty()) {
            return Optional.empty();
        }
        redis.hset(key("dlq:resolved"), messageId, json(Map.of("at", at.toString(), "by", by, "note", note)));
        return find(messageId);
    }

    @Override
    public int purge(Instant cutoff) {
        int purged = 0;
        for (StreamMessage<String, String> m : redis.xrange(key("dlq"), Range.create("-", "+"))) {
            if (Instant.parse(m.getBody().get("dead_at")).isBefore(cutoff)) {
                redis.xdel(key("dlq"), m.getId());
                redis.hdel(key("dlq:index"), m.getBody().get("id"));
                redis.hdel(key("dlq:resolved"), m.getBody().get("id"));
                purged++;
            }
        }
        return purged;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } finally {
            client.shutdown();
        }
    }

    private static DeadLetter deadLetter(Map<String, String> f, String resolution) {
        Map<String, String> r = resolution == null ? Map.of() : parse(resolution);
        String first = f.getOrDefault("first_taken", "");
        return new DeadLetter(f.get("id"), blankToNull(f.get("account")), f.get("body"),
                ErrorCode.valueOf(f.get("code")), f.get("reason"), Integer.parseInt(f.get("attempts")),
                first.isEmpty() ? null : Instant.parse(first), Instant.parse(f.get("dead_at")),
                r.containsKey("at") ? Instant.parse(r.get("at")) : null, r.get("by"), r.get("note"));
    }

    private static String blankToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }

    private static String json(Map<String, String> fields) {
        try {
            return JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + fields.keySet() + " as JSON", e);
        }
    }

    private static Map<String, String> parse(String json) {
        try {
            return JSON.readValue(json, new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a dead letter's resolution is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
