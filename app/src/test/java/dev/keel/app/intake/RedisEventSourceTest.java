package dev.keel.app.intake;

import dev.keel.core.events.EventSource;
import dev.keel.core.events.EventSourceContractTest;
import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.XClaimArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.PendingMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The event source contract over a Redis stream on the real server, a fresh stream per test. Time passes for Redis
 * too: {@link #pass} makes every pending entry that much more idle (XCLAIM ... IDLE ... JUSTID to its owner, which
 * counts no delivery), so XAUTOCLAIM finds a dead consumer's entries exactly when the manual clock says.
 */
class RedisEventSourceTest extends EventSourceContractTest {
    private static final AtomicInteger STREAMS = new AtomicInteger();
    private static final String GROUP = "keel";

    private final List<EventSource> opened = new ArrayList<>();
    private String stream;
    private RedisClient admin;
    private StatefulRedisConnection<String, String> adminConnection;

    @Override
    protected void createStorage() {
        String url = RedisTestServer.require();
        stream = "keel:test:" + ProcessHandle.current().pid() + ":" + STREAMS.incrementAndGet();
        admin = RedisClient.create(url);
        adminConnection = admin.connect();
    }

    @Override
    protected EventSource consumer(String name) {
        EventSource source = RedisEventSource.open(RedisTestServer.URL, stream, GROUP, name, clock);
        opened.add(source);
        return source;
    }

    @Override
    protected void pass(Duration duration) {
        super.pass(duration);
        RedisCommands<String, String> redis = adminConnection.sync();
        for (PendingMessage p : redis.xpending(stream, GROUP, Range.create("-", "+"), Limit.from(1000))) {
            redis.xclaim(stream, Consumer.from(GROUP, p.getConsumer()), new XClaimArgs()
                    .idle(p.getMsSinceLastDelivery() + duration.toMillis()).justid(), p.getId());
        }
    }

    @Override
    protected void closeAll() {
        opened.forEach(EventSource::close);
        if (adminConnection != null) {
            RedisCommands<String, String> redis = adminConnection.sync();
            redis.del(stream, stream + ":ids", stream + ":delayed", stream + ":deliveries", stream + ":dlq",
                    stream + ":dlq:index", stream + ":dlq:resolved");
            adminConnection.close();
            admin.shutdown();
        }
    }
}
