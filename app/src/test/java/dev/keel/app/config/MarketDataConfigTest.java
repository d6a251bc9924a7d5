package dev.keel.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code market-data} section and an account's {@code allocation}: read, defaulted, and refused with reasons. */
class MarketDataConfigTest {
    @TempDir
    Path dir;

    private KeelConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, Path.of("keel.yaml"), dir);
    }

    private List<String> problemsOf(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(yaml));
        assertThat(e).as("expected the file to be refused").isNotNull();
        return e.getMessage().lines().toList();
    }

    @Test
    void absentSectionGivesLiveThenDelayedThenLastCloseWithDegradedDataAllowed() {
        MarketDataSettings m = parse(ConfigFiles.MINIMAL).marketData();

        assertThat(m).isEqualTo(MarketDataSettings.DEFAULTS);
        assertThat(m.sources()).extracting(s -> s.kind().wire() + " " + DurationFormat.format(s.maxAge()))
                .containsExactly("live 15s", "delayed 20m", "last-close 96h");
        assertThat(m.allowDegraded()).isTrue();
    }

    @Test
    void sectionIsReadWithItsOrderAndBounds() {
        MarketDataSettings m = parse(ConfigFiles.MINIMAL + """
                market-data:
                  sources:
                    - { kind: live, max-age: 5s }
                    - { kind: last-close }
                    - { kind: delayed, delay: 10m, max-age: 12m }
                  outlier: 0.15
                  max-spread: 0.01
                  allow-degraded: false
                """).marketData();

        assertThat(m.sources()).containsExactly(
                new MarketDataSettings.Source(MarketDataSettings.Kind.LIVE, Duration.ofSeconds(5), null),
                new MarketDataSettings.Source(MarketDataSettings.Kind.LAST_CLOSE, Duration.ofDays(4), null),
                new MarketDataSettings.Source(MarketDataSettings.Kind.DELAYED, Duration.ofMinutes(12),
                        Duration.ofMinutes(10)));
        assertThat(m.outlier()).isEqualByComparingTo("0.15");
        assertThat(m.allowDegraded()).isFalse();
    }

    @Test
    void mistakesNameTheFieldAndWhatWasExpected() {
        List<String> problems = problemsOf(ConfigFiles.MINIMAL + """
                market-data:
                  sources:
                    - { kind: live, delay: 1m }
                    - { kind: delayed, delay: 15m, max-age: 10m }
                    - { kind: live }
                    - { kind: frozen }
                  outlier: 0
                  max-spread: 2
                  allow-degraded: "yes"
                """);

        assertThat(problems).containsExactly(
                "keel.yaml:6: market-data.sources[0].delay: applies only to kind delayed, but kind is live",
                "keel.yaml:7: market-data.sources[1].max-age: must be greater than delay (15m), or every delayed"
                        + " quote is stale, but was 10m",
                "keel.yaml:8: market-data.sources[2].kind: source live is listed twice; market-data.sources[0]"
                        + " already has it",
                "keel.yaml:9: market-data.sources[3].kind: expected one of live, delayed, last-close, but was"
                        + " 'frozen'",
                "keel.yaml:10: market-data.outlier: must be in (0, 10], but was 0",
                "keel.yaml:11: market-data.max-spread: must be in (0, 1), but was 2",
                "keel.yaml:12: market-data.allow-degraded: expected true or false, but was 'yes'");
    }

    @Test
    void accountWithAnAllocationServiceNeedsNoTargets() {
        KeelConfig config = parse("""
                accounts:
                  - id: main
                    allocation:
                      url: http://127.0.0.1:8080/alloc/main
                      timeout: 500ms
                      symbols: [VTI, TLT]
                      retry: { max-attempts: 2 }
                      circuit-breaker: { window: 4, minimum-calls: 2 }
                """);

        AccountConfig a = config.accounts().getFirst();
        assertThat(a.targets()).isEmpty();
        assertThat(a.allocation().url()).isEqualTo(URI.create("http://127.0.0.1:8080/alloc/main"));
        assertThat(a.allocation().timeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(a.allocation().symbols()).containsExactly("VTI", "TLT");
        assertThat(a.allocation().retry().maxAttempts()).isEqualTo(2);
        assertThat(a.allocation().circuitBreaker().window()).isEqualTo(4);
    }

    @Test
    void allocationMistakesAreNamed() {
        List<String> problems = problemsOf("""
                accounts:
                  - id: main
                    targets: { VTI: 1 }
                    allocation: { url: "ftp://host/alloc", timeout: 0s, symbols: [vti] }
                  - id: other
                    allocation: { timeout: 2s }
                  - id: third
                    allocation: { url: "http://user:pw@host/alloc" }
                """);

        assertThat(problems).containsExactly(
                "keel.yaml:3: accounts[0].targets: give either targets or allocation, not both",
                "keel.yaml:4: accounts[0].allocation.url: expected an http:// or https:// URL with a host, but was"
                        + " 'ftp://host/alloc'",
                "keel.yaml:4: accounts[0].allocation.timeout: must be greater than 0s, but was 0s",
                "keel.yaml:4: accounts[0].allocation.symbols[0]: symbol must be 1-16 upper-case letters, digits, '.',"
                        + " '-' or '/', but was 'vti'; symbols are upper case: 'VTI'",
                "keel.yaml:6: accounts[1].allocation.url: is missing; expected the allocation service's URL, e.g."
                        + " http://127.0.0.1:8080/alloc/main",
                "keel.yaml:8: accounts[2].allocation.url: holds credentials; secrets do not belong in a config file");
    }
}
