package dev.keel.alpaca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.keel.core.broker.BrokerException;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.Side;
import dev.keel.core.model.Symbol;
import dev.keel.core.time.ManualClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The key pair never reaches an exception, even when the server repeats it back. */
class SecretsTest {
    private static final AlpacaKeys KEYS = AlpacaBrokerTest.KEYS;

    @Test
    void aServerEchoingTheKeysDoesNotPutThemInTheException() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2024-04-15T14:00:00Z"));
        try (AlpacaStub alpaca = new AlpacaStub();
             AlpacaBroker broker = new AlpacaBroker("a", AlpacaSettings.builder(alpaca.url()).build(), KEYS, clock,
                     clock)) {
            alpaca.on("POST", "/v2/orders", 500, "<pre>bad key " + KEYS.keyId() + " / " + KEYS.secret() + "</pre>");
            alpaca.on("GET", "/v2/account", 403, "{\"message\":\"forbidden for " + KEYS.secret() + "\"}");

            Throwable submit = catchThrowable(() -> broker.submit("c", OrderSpec.marketQty(Symbol.of("AAPL"),
                    Side.BUY, BigDecimal.ONE)));
            Throwable account = catchThrowable(broker::account);

            for (Throwable t : new Throwable[] {submit, account}) {
                assertThat(t).isInstanceOf(BrokerException.class);
                String all = everything((BrokerException) t);
                assertThat(all).doesNotContain(KEYS.secret()).doesNotContain(KEYS.keyId());
            }
            assertThat(((BrokerException) submit).rawResponse()).contains("[redacted]");
        }
    }

    @Test
    void theKeysPrintRedacted() {
        assertThat(KEYS.toString()).doesNotContain(KEYS.secret()).doesNotContain(KEYS.keyId());
    }

    static String everything(BrokerException e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        return e.getMessage() + "\n" + e.rawResponse() + "\n" + e.context() + "\n" + trace;
    }
}
