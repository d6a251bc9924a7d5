package dev.keel.app.intake;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Assumptions;

/**
 * The Redis server of the tests: {@code keel.redis.url} or {@code redis://127.0.0.1:6379}. When nothing answers, a
 * test skips with a loud notice, or fails when services are required ({@code KEEL_REQUIRE_SERVICES=1} or
 * {@code -Dkeel.requireServices=true}), as the PostgreSQL tests do.
 */
final class RedisTestServer {
    static final String URL = System.getProperty("keel.redis.url", "redis://127.0.0.1:6379");
    private static Boolean reachable;

    private RedisTestServer() {
    }

    /** The URL, once the server answered a PING; otherwise skips (or fails) the calling test. */
    static synchronized String require() {
        if (reachable == null) {
            RedisClient client = RedisClient.create(URL);
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                reachable = "PONG".equals(c.sync().ping());
            } catch (RuntimeException e) {
                reachable = false;
            } finally {
                client.shutdown();
            }
        }
        if (!reachable) {
            String notice = "\n*** Redis does not answer at " + URL + ": the Redis tests are SKIPPED. Start Redis or"
                    + " set -Dkeel.redis.url; KEEL_REQUIRE_SERVICES=1 makes this a failure. ***\n";
            if (required()) {
                throw new IllegalStateException(notice);
            }
            System.err.println(notice);
            Assumptions.abort(notice);
        }
        return URL;
    }

    private static boolean required() {
        return isTrue(System.getProperty("keel.requireServices")) || isTrue(System.getenv("KEEL_REQUIRE_SERVICES"));
    }

    private static boolean isTrue(String value) {
        return value != null && (value.equals("1") || value.equalsIgnoreCase("true"));
    }
}
