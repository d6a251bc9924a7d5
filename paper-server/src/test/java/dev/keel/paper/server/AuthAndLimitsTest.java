package dev.keel.paper.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.keel.paper.FaultRule;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class AuthAndLimitsTest {
    @Test
    void aWrongSecretIs401WithAlpacasBodyAndNothingIsDone() {
        try (Served served = new Served()) {
            served.secret = "wrong";

            Served.Reply refused = served.post("{\"symbol\":\"VTI\",\"qty\":\"1\",\"side\":\"buy\",\"type\":\"market\","
                    + "\"time_in_force\":\"day\"}");

            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.body().path("code").asLong()).isEqualTo(40110000L);
            assertThat(refused.body().path("message").asText()).isEqualTo("request is not authorized");
            assertThat(served.exchange.orderLog()).isEmpty();
        }
    }

    @Test
    void missingKeysAre401() {
        try (Served served = new Served()) {
            served.keyId = null;
            served.secret = null;

            assertThat(served.get(null, "/v2/account").status()).isEqualTo(401);
        }
    }

    @Test
    void eachKeyTradesItsOwnAccount() {
        KeyRing keys = KeyRing.of(Map.of("PKALICE", new KeyRing.Key("alice-secret", "alice"),
                "PKBOB", new KeyRing.Key("bob-secret", "bob")));
        try (Served served = new Served(UnaryOperator.identity(), b -> ServerSettings.builder(keys).port(0)
                .streamPoll(Duration.ZERO))) {
            served.keyId = "PKALICE";
            served.secret = "alice-secret";
            assertThat(served.get("/v2/account", "/v2/account").body().path("account_number").asText())
                    .isEqualTo("alice");
            served.secret = "bob-secret";
            assertThat(served.get(null, "/v2/account").status()).isEqualTo(401);
            served.keyId = "PKBOB";
            assertThat(served.get("/v2/account", "/v2/account").body().path("account_number").asText())
                    .isEqualTo("bob");
        }
    }

    @Test
    void secretsNeverReachTheLogNorTheAnswers() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        try (Served served = Served.withFaults(FaultRule.serverError().withNth(1))) {
            served.get(null, "/v2/account"); // a fault, logged
            served.secret = "wrong-" + Served.SECRET;
            Served.Reply refused = served.get(null, "/v2/account");

            assertThat(refused.raw().body()).doesNotContain(Served.SECRET);
            assertThat(KeyRing.sharedSecret(Served.SECRET).toString()).doesNotContain(Served.SECRET);
            assertThat(new KeyRing.Key(Served.SECRET, "a").toString()).doesNotContain(Served.SECRET);
        } finally {
            root.detachAppender(captured);
        }
        assertThat(captured.list).isNotEmpty();
        assertThat(captured.list).allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain(Served.SECRET));
    }

    @Test
    void everyAnswerCarriesTheRateLimitAndThe4thRequestOfAWindowIs429() {
        try (Served served = new Served(UnaryOperator.identity(), b -> b.rateLimit(3, Duration.ofMinutes(1)))) {
            Served.Reply first = served.get("/v2/clock", "/v2/clock");
            assertThat(first.header("X-RateLimit-Limit")).isEqualTo("3");
            assertThat(first.header("X-RateLimit-Remaining")).isEqualTo("2");
            // the window of 10:00 ends at 10:01 New York
            assertThat(first.header("X-RateLimit-Reset")).isEqualTo(Long.toString(
                    Served.MONDAY_10AM_NY.plusSeconds(60).getEpochSecond()));
            served.get("/v2/clock", "/v2/clock");
            served.get("/v2/clock", "/v2/clock");

            Served.Reply limited = served.get("/v2/clock", "/v2/clock");

            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.body().path("code").asLong()).isEqualTo(42910000L);
            assertThat(limited.header("X-RateLimit-Remaining")).isEqualTo("0");
            assertThat(limited.header("Retry-After")).isEqualTo("60");
            served.clock.advance(Duration.ofMinutes(1));
            assertThat(served.get("/v2/clock", "/v2/clock").status()).isEqualTo(200);
        }
    }
}
