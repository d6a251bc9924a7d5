package dev.keel.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.alpaca.AlpacaKeys;
import dev.keel.app.config.ConfigLoader;
import dev.keel.app.config.KeelConfig;
import dev.keel.app.runtime.KeelRuntime;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.model.Symbol;
import dev.keel.core.model.TransactionStatus;
import dev.keel.core.rebalance.ProgressListener;
import dev.keel.core.time.ManualClock;
import dev.keel.paper.ExchangeOrderLogEntry;
import dev.keel.paper.PaperConfig;
import dev.keel.paper.PaperExchange;
import dev.keel.paper.server.KeyRing;
import dev.keel.paper.server.PaperServer;
import dev.keel.paper.server.ServerSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several accounts at one Alpaca endpoint, each with its own key pair (an Alpaca key pair is one Alpaca account):
 * {@code broker.alpaca.key-files} names a file per account, and each account's orders reach its own account at the
 * served paper exchange. Several Keel processes can then share one broker, each account taken by one of them.
 */
class AlpacaAccountsTest {
    static final String SECRET = "test-secret-for-the-paper-server";

    @TempDir
    Path dir;

    Path keys(String account) throws IOException {
        return Files.writeString(dir.resolve(account + ".keys"), AlpacaKeys.KEY_ID_VARIABLE + "=" + account + "\n"
                + AlpacaKeys.SECRET_VARIABLE + "=" + SECRET + "\n");
    }

    KeelConfig config(String url, String keyFiles) throws IOException {
        Path file = dir.resolve("keel.yaml");
        Files.writeString(file, """
                journal: sqlite:%1$s/keel.db
                broker:
                  kind: alpaca
                  alpaca: { endpoint: "%2$s", data-url: "%2$s", timeout: 10s%3$s }
                accounts:
                  - id: a1
                    targets: { VTI: 0.5, TLT: 0.5 }
                  - id: a2
                    targets: { VTI: 0.2, TLT: 0.8 }
                notifications: [ { kind: file, path: %1$s/notifications.log } ]
                """.formatted(dir, url, keyFiles));
        return ConfigLoader.load(file);
    }

    @Test
    void eachAccountTradesItsOwnAlpacaAccountWithItsOwnKeys() throws IOException {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-23T15:00:00Z"));
        PaperConfig paper = PaperConfig.builder().seed(42).startingCash(new BigDecimal("10000.00"))
                .startingPosition(Symbol.of("VTI"), new BigDecimal("20"))
                .price(Symbol.of("VTI"), new BigDecimal("250.00")).price(Symbol.of("TLT"), new BigDecimal("90.00"))
                .build();
        try (PaperExchange exchange = new PaperExchange(paper, clock, clock);
             PaperServer server = PaperServer.start(exchange, ServerSettings.builder(KeyRing.sharedSecret(SECRET))
                     .port(0).streamPoll(Duration.ZERO).build(), clock)) {
            KeelConfig cfg = config(server.url().toString(), ", key-files: { a1: " + keys("a1") + ", a2: "
                    + keys("a2") + " }");
            try (KeelRuntime runtime = KeelRuntime.open(cfg, clock, clock,
                    new PrintStream(PrintStream.nullOutputStream()), 42, Map.of())) {
                assertThat(runtime.engine().rebalance("a1", null, ProgressListener.NONE).status())
                        .isEqualTo(TransactionStatus.COMPLETED);
                assertThat(runtime.engine().rebalance("a2", null, ProgressListener.NONE).status())
                        .isEqualTo(TransactionStatus.COMPLETED);
            }
            Map<String, Long> byAccount = exchange.orderLog().stream().collect(Collectors.groupingBy(
                    ExchangeOrderLogEntry::accountId, Collectors.counting()));
            assertThat(byAccount).containsOnlyKeys("a1", "a2");
            assertThat(exchange.accountSnapshot("a1").quantity(Symbol.of("TLT")))
                    .isNotEqualByComparingTo(exchange.accountSnapshot("a2").quantity(Symbol.of("TLT")));
            assertThat(exchange.orderLog()).allMatch(o -> o.clientOrderId().contains(":"));
        }
    }

    @Test
    void severalAccountsWithoutAKeyFileEachAreAConfigErrorNamingTheField() throws IOException {
        KeelConfig cfg = config("http://127.0.0.1:9", "");
        assertThatThrownBy(() -> KeelRuntime.open(cfg, new ManualClock(Instant.EPOCH), new ManualClock(Instant.EPOCH),
                new PrintStream(PrintStream.nullOutputStream()), 42, Map.of()))
                .isInstanceOfSatisfying(KeelException.class, e -> assertThat(e.code())
                        .isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessageContaining("keel.yaml").hasMessageContaining("broker.alpaca.key-files");
        KeelConfig one = config("http://127.0.0.1:9", ", key-files: { a1: " + keys("a1") + " }");
        assertThatThrownBy(() -> KeelRuntime.open(one, new ManualClock(Instant.EPOCH), new ManualClock(Instant.EPOCH),
                new PrintStream(PrintStream.nullOutputStream()), 42, Map.of()))
                .hasMessageContaining("no key file for account(s) a2");
    }
}
