package dev.keel.paper.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.keel.paper.BrokerCall;
import dev.keel.paper.FaultRule;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The exchange's fault plan acting at the HTTP layer, as a client of Alpaca would meet it. */
class FaultsTest {
    private static final String ORDER = "{\"symbol\":\"VTI\",\"qty\":\"1\",\"side\":\"buy\",\"type\":\"market\","
            + "\"time_in_force\":\"day\",\"client_order_id\":\"c1\"}";

    @Test
    void aRateLimitedFaultIs429WithRetryAfterAndTheBudgetHeaders() {
        try (Served served = Served.withFaults(FaultRule.rateLimited(Duration.ofSeconds(3)).withOp(BrokerCall.SUBMIT))) {
            Served.Reply limited = served.post(ORDER);

            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.body().path("code").asLong()).isEqualTo(42910000L);
            assertThat(limited.header("Retry-After")).isEqualTo("3");
            assertThat(limited.header("X-RateLimit-Remaining")).isNotNull();
            assertThat(served.exchange.orderLog()).isEmpty();
        }
    }

    @Test
    void aServerErrorFaultIsItsStatusWithAlpacasBody() {
        try (Served served = Served.withFaults(FaultRule.serverError(502).withOp(BrokerCall.ACCOUNT))) {
            Served.Reply failed = served.get(null, "/v2/account");

            assertThat(failed.status()).isEqualTo(502);
            assertThat(failed.body().path("code").asLong()).isEqualTo(50010000L);
        }
    }

    @Test
    void aConnectionResetDropsTheConnectionAndNothingIsDone() {
        try (Served served = Served.withFaults(FaultRule.connectionReset().withOp(BrokerCall.SUBMIT).withNth(1))) {
            IOException dropped = catchThrowableOfType(IOException.class,
                    () -> served.send("POST", null, served.request("/v2/orders"), ORDER));

            assertThat(dropped).isNotNull().isNotInstanceOf(HttpTimeoutException.class);
            assertThat(served.exchange.orderLog()).isEmpty();
        }
    }

    @Test
    void anAnswerLostAfterAcceptDropsTheConnectionButTheOrderExists() {
        try (Served served = Served.withFaults(FaultRule.timeoutAfterAccept().withOp(BrokerCall.SUBMIT).withNth(1))) {
            IOException lost = catchThrowableOfType(IOException.class,
                    () -> served.send("POST", null, served.request("/v2/orders"), ORDER));

            assertThat(lost).isNotNull();
            Served.Reply found = served.get("/v2/orders:by_client_order_id",
                    "/v2/orders:by_client_order_id?client_order_id=c1");
            assertThat(found.status()).isEqualTo(200);
            assertThat(found.body().path("status").asText()).isEqualTo("filled");
        }
    }

    @Test
    void aSlowAnswerIsHeldUntilTheClientGivesUpAndNothingIsDone() {
        try (Served served = new Served(b -> b.fault(FaultRule.timeoutBeforeAccept().withOp(BrokerCall.SUBMIT)
                .withNth(1)), b -> b.holdFor(Duration.ofMinutes(5)))) {
            served.get("/v2/clock", "/v2/clock"); // the server's first answer is slow to warm up; not this one's
            // held for minutes, so the client's 2 s always run out first; a dropped connection would be an IOException
            HttpTimeoutException gaveUp = catchThrowableOfType(HttpTimeoutException.class,
                    () -> served.send("POST", null, served.request("/v2/orders").timeout(Duration.ofSeconds(2)),
                            ORDER));

            assertThat(gaveUp).isNotNull();
            assertThat(served.get(null, "/v2/orders:by_client_order_id?client_order_id=c1").status())
                    .isEqualTo(404);
            assertThat(served.post(ORDER).status()).isEqualTo(200); // the second try goes through
        }
    }
}
