package dev.keel.app.intake;

import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.XClaimArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.PendingMessage;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The consume loop over a Redis stream on the real server (a fresh stream per test), the journal in SQLite. */
class RedisEventConsumerTest extends EventConsumerContractTest {
    private static final String GROUP = "keel";
    private String stream;

    @BeforeEach
    void freshStream() {
        RedisTestServer.require();
        stream = "keel:test:consumer:" + ProcessHandle.current().pid() + ":" + dir.getFileName();
    }

    @AfterEach
    void dropStream() {
        if (stream == null) {
            return;
        }
        RedisClient client = RedisClient.create(RedisTestServer.URL);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().del(stream, stream + ":ids", stream + ":delayed", stream + ":deliveries", stream + ":dlq",
                    stream + ":dlq:index", stream + ":dlq:resolved");
        } finally {
            client.shutdown();
        }
    }

    @Override
    protected String source() {
        return "kind: redis, url: '" + RedisTestServer.URL + "', stream: '" + stream + "', group: " + GROUP;
    }

    /** Every pending entry becomes that much more idle, as if Redis's time had passed too. */
    @Override
    protected void pass(Duration duration) {
        super.pass(duration);
        RedisClient client = RedisClient.create(RedisTestServer.URL);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            RedisCommands<String, String> redis = c.sync();
            for (PendingMessage p : redis.xpending(stream, GROUP, Range.create("-", "+"), Limit.from(1000))) {
                redis.xclaim(stream, Consumer.from(GROUP, p.getConsumer()), new XClaimArgs()
                        .idle(p.getMsSinceLastDelivery() + duration.toMillis()).justid(), p.getId());
            }
        } finally {
            client.shutdown();
        }
    }
}
