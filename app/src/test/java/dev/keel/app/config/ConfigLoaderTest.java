package dev.keel.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.app.config.FaultSettings.Kind;
import dev.keel.app.config.FaultSettings.Op;
import dev.keel.app.config.FaultSettings.Reason;
import dev.keel.core.error.Severity;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void contractExampleLoadsExactlyAsWritten() {
        Path file = ConfigFiles.write(dir, "keel.yaml", ConfigFiles.contract());

        KeelConfig config = ConfigLoader.load(file, dir);

        assertThat(config.source()).isEqualTo(file);
        assertThat(config.journalUrl()).isEqualTo("sqlite:" + dir.resolve("keel-data/keel.db"));
        assertThat(config.broker().kind()).isEqualTo(BrokerConfig.Kind.PAPER);
        PaperSettings paper = config.broker().paper();
        assertThat(paper.state()).isEqualTo(dir.resolve("keel-data/paper.db"));
        assertThat(paper.seed()).isEqualTo(42);
        assertThat(paper.latency()).isEqualTo(Duration.ofMillis(20));
        assertThat(paper.cash()).isEqualTo(new BigDecimal("10000.00"));
        assertThat(paper.positions()).containsExactly(
                entry("VTI", "50"), entry("TLT", "10"));
        assertThat(paper.prices()).containsExactly(entry("VTI", "250.00"), entry("TLT", "90.00"),
                entry("IEF", "95.00"), entry("GLD", "185.00"), entry("DBC", "22.00"));
        assertThat(paper.spreadBps()).isEqualTo(PaperSettings.DEFAULT_SPREAD_BPS);
        assertThat(paper.priceMode()).isEqualTo(PaperSettings.PriceMode.FIXED);
        assertThat(paper.marketHours()).isEqualTo(PaperSettings.MarketHours.ALWAYS);
        assertThat(paper.visibilityLag()).isEqualTo(Duration.ZERO);
        assertThat(paper.orderClasses()).isTrue();
        assertThat(paper.faults()).containsExactly(
                new FaultSettings(Op.SUBMIT, Kind.TIMEOUT_AFTER_ACCEPT, null, null, 2, 1, null, null, null, null,
                        null, null),
                new FaultSettings(Op.SUBMIT, Kind.RATE_LIMITED, null, null, null, null, 0.1, Duration.ofSeconds(1),
                        null, null, null, null),
                new FaultSettings(Op.SUBMIT, Kind.REJECT, Reason.SYMBOL_NOT_FOUND, "DBC", null, null, null, null,
                        null, null, null, null));
        assertThat(config.accounts()).containsExactly(new AccountConfig("main", ordered(
                "VTI", "0.30", "TLT", "0.40", "IEF", "0.15", "GLD", "0.075", "DBC", "0.075"),
                new BigDecimal("0.05"), new BigDecimal("10.00"), new BigDecimal("0.01")));
        assertThat(config.retry()).isEqualTo(new RetrySettings(4, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30), 0.5));
        assertThat(config.circuitBreaker()).isEqualTo(new BreakerSettings(50, 20, 10, Duration.ofSeconds(30), 3));
        assertThat(config.risk()).isEqualTo(new RiskSettings(new BigDecimal("1.00"), new BigDecimal("50000.00")));
        assertThat(config.operations()).isEqualTo(new OperationSettings(Duration.ofSeconds(45)));
        assertThat(config.notifications()).containsExactly(ChannelConfig.console(),
                new ChannelConfig(ChannelConfig.Kind.FILE, dir.resolve("keel-data/notifications.log"), Severity.INFO));
    }

    @Test
    void weightsKeepTheirExactDecimalsNotDoubles() {
        KeelConfig config = ConfigLoader.parse(ConfigFiles.contract(), Path.of("keel.yaml"), dir);

        BigDecimal sum = config.accounts().get(0).targets().values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(sum).isEqualByComparingTo("1");
        assertThat(config.accounts().get(0).targets().get("GLD").toPlainString()).isEqualTo("0.075");
    }

    @Test
    void onlyAccountsGivenEverythingElseTakesItsDefault() {
        KeelConfig config = ConfigLoader.parse(ConfigFiles.MINIMAL, Path.of("keel.yaml"), dir);

        assertThat(config.journalUrl()).isEqualTo("sqlite:" + dir.resolve("keel-data/keel.db"));
        assertThat(config.broker().kind()).isEqualTo(BrokerConfig.Kind.PAPER);
        assertThat(config.broker().paper().state()).isEqualTo(dir.resolve(PaperSettings.DEFAULT_STATE));
        assertThat(config.broker().paper().cash()).isEqualTo(PaperSettings.DEFAULT_CASH);
        assertThat(config.broker().paper().faults()).isEmpty();
        assertThat(config.retry()).isEqualTo(RetrySettings.DEFAULTS);
        assertThat(config.circuitBreaker()).isEqualTo(BreakerSettings.DEFAULTS);
        assertThat(config.risk()).isEqualTo(RiskSettings.DEFAULTS);
        assertThat(config.notifications()).containsExactly(ChannelConfig.console());
        AccountConfig main = config.account("main").orElseThrow();
        assertThat(main.driftThreshold()).isEqualTo(AccountConfig.DEFAULT_DRIFT_THRESHOLD);
        assertThat(main.minTrade()).isEqualTo(AccountConfig.DEFAULT_MIN_TRADE);
        assertThat(main.cashBuffer()).isEqualTo(AccountConfig.DEFAULT_CASH_BUFFER);
    }

    @Test
    void paperOrderClassesCanBeTurnedOffSoKeelEmulatesOco() {
        String yaml = ConfigFiles.edit(ConfigFiles.contract(), "latency: 20ms", "latency: 20ms\n    order-classes: false");

        KeelConfig config = ConfigLoader.parse(yaml, Path.of("keel.yaml"), dir);

        assertThat(config.broker().paper().orderClasses()).isFalse();
    }

    @Test
    void postgresqlJournalIsKeptAsWritten() {
        String yaml = "journal: postgresql://127.0.0.1:5432/test?user=postgres\n" + ConfigFiles.MINIMAL;

        KeelConfig config = ConfigLoader.parse(yaml, Path.of("keel.yaml"), dir);

        assertThat(config.journalUrl()).isEqualTo("postgresql://127.0.0.1:5432/test?user=postgres");
    }

    @Test
    void moneyAcceptsStringsAndAbsolutePathsStayPut() {
        String yaml = ConfigFiles.edit(ConfigFiles.contract(), "cash: 10000.00", "cash: \"2500.50\"");
        yaml = ConfigFiles.edit(yaml, "state: keel-data/paper.db", "state: /var/lib/keel/paper.db");
        yaml = ConfigFiles.edit(yaml, "max-order: 50000.00", "max-order: '7500'");

        KeelConfig config = ConfigLoader.parse(yaml, Path.of("keel.yaml"), dir);

        assertThat(config.broker().paper().cash()).isEqualTo(new BigDecimal("2500.50"));
        assertThat(config.broker().paper().state()).isEqualTo(Path.of("/var/lib/keel/paper.db"));
        assertThat(config.risk().maxOrder()).isEqualTo(new BigDecimal("7500"));
    }

    @Test
    void faultKindsTakeTheirOwnFieldsAndDefaults() {
        String yaml = ConfigFiles.edit(ConfigFiles.contract(), "      - { op: submit, kind: timeout-after-accept, nth: 2 }\n",
                """
                      - { op: lookup, kind: server-error, nth: 1, times: 3 }
                      - { op: submit, kind: slow, delay: 5s }
                      - { op: submit, kind: partial-fill, fraction: 0.4, symbol: TLT }
                      - { op: quote, kind: stale-quote }
                      - { op: stream, kind: stream-drop, nth: 2 }
                """);

        List<FaultSettings> faults = ConfigLoader.parse(yaml, Path.of("keel.yaml"), dir).broker().paper().faults();

        assertThat(faults.get(0)).isEqualTo(new FaultSettings(Op.LOOKUP, Kind.SERVER_ERROR, null, null, 1, 3, null,
                null, FaultSettings.DEFAULT_STATUS, null, null, null));
        assertThat(faults.get(1).delay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(faults.get(2).fraction()).isEqualTo(new BigDecimal("0.4"));
        assertThat(faults.get(2).symbol()).isEqualTo("TLT");
        assertThat(faults.get(3).age()).isEqualTo(FaultSettings.DEFAULT_AGE);
        assertThat(faults.get(4)).isEqualTo(new FaultSettings(Op.STREAM, Kind.STREAM_DROP, null, null, 2, 1, null,
                null, null, null, null, null));
    }

    @Test
    void demoIsTheContractWithAScriptedFaultPlanAndItsFilesInTheDataDir() {
        KeelConfig demo = KeelConfig.demo(dir);

        assertThat(demo.journalUrl()).isEqualTo("sqlite:" + dir.resolve("keel.db"));
        assertThat(demo.broker().paper().state()).isEqualTo(dir.resolve("paper.db"));
        assertThat(demo.notifications()).contains(
                new ChannelConfig(ChannelConfig.Kind.FILE, dir.resolve("notifications.log"), Severity.INFO));
        assertThat(demo.broker().paper().faults()).containsExactly(
                new FaultSettings(Op.SUBMIT, Kind.TIMEOUT_AFTER_ACCEPT, null, "GLD", null, 1, null, null, null, null,
                        null, null),
                new FaultSettings(Op.SUBMIT, Kind.RATE_LIMITED, null, "IEF", null, 1, null, Duration.ofSeconds(1),
                        null, null, null, null),
                new FaultSettings(Op.SUBMIT, Kind.REJECT, Reason.SYMBOL_NOT_FOUND, "DBC", null, null, null, null,
                        null, null, null, null));
        KeelConfig contract = ConfigLoader.parse(ConfigFiles.contract(), Path.of("keel.yaml"), dir);
        assertThat(demo.accounts()).isEqualTo(contract.accounts());
        assertThat(demo.broker().paper().prices()).isEqualTo(contract.broker().paper().prices());
    }

    @Test
    void durationsSpellBothWays() {
        for (String text : List.of("20ms", "1s", "30s", "5m", "1h", "0s", "1500ms")) {
            assertThat(DurationFormat.format(DurationFormat.parse(text).orElseThrow())).isEqualTo(text);
        }
        assertThat(DurationFormat.parse("60s")).contains(Duration.ofMinutes(1));
        assertThat(DurationFormat.parse("20")).isEmpty();
        assertThat(DurationFormat.parse("1.5s")).isEmpty();
        assertThat(DurationFormat.parse("PT1S")).isEmpty();
    }

    @Test
    void settingsCheckTheCorePolicysBoundsNamingTheValue() {
        assertThat(RetrySettings.DEFAULTS.policy().maxAttempts()).isEqualTo(4);
        assertThatThrownBy(() -> new RetrySettings(0, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30), 0.5))
                .hasMessage("maxAttempts must be at least 1, but was 0");
        assertThatThrownBy(() -> new BreakerSettings(50, 5, 10, Duration.ofSeconds(30), 3))
                .hasMessage("minimumCalls must be at most window (5), but was 10");
    }

    private static Map.Entry<String, BigDecimal> entry(String symbol, String value) {
        return Map.entry(symbol, new BigDecimal(value));
    }

    private static Map<String, BigDecimal> ordered(String... pairs) {
        Map<String, BigDecimal> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], new BigDecimal(pairs[i + 1]));
        }
        return map;
    }
}
