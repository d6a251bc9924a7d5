package dev.keel.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.app.config.ConfigLoader;
import dev.keel.app.config.ConfigException;
import dev.keel.app.config.KeelConfig;
import dev.keel.app.runtime.KeelRuntime;
import dev.keel.core.journal.TransactionSummary;
import dev.keel.core.time.ManualClock;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serve scheduler on simulated time: an account's cron schedule in New York time, only while the market is open,
 * a missed run made up once at start and never twice (not by a restart, not by a second server), and the periodic
 * watch and reconcile.
 */
class ServeSchedulerTest {
    static final String MARKET_HOURS = dev.keel.app.config.PaperSettings.MarketHours.NYSE.wire();

    @TempDir
    Path dir;

    /** The API test's configuration with this schedule, on a paper exchange that keeps New York's hours. */
    KeelConfig config(String schedule) throws IOException {
        Path file = dir.resolve("keel.yaml");
        Files.writeString(file, ServeApiTest.CONFIG.formatted(dir).replace("\"0 10 * * MON-FRI\"", schedule)
                .replace("    seed: 42", "    seed: 42\n    market-hours: " + MARKET_HOURS));
        return ConfigLoader.load(file);
    }

    KeelRuntime open(KeelConfig cfg, ManualClock clock) {
        return KeelRuntime.open(cfg, clock, clock, new PrintStream(PrintStream.nullOutputStream()), 42);
    }

    static List<String> rebalances(KeelRuntime runtime) {
        return runtime.journal().recentTransactions(50, "main").stream()
                .filter(t -> t.operation().equals("rebalance")).map(TransactionSummary::txId).toList();
    }

    @Test
    void aRunMissedEarlierTodayIsMadeUpOnceEvenAcrossARestart() throws IOException {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-23T15:30:00Z")); // Monday 10:30 New York
        KeelConfig cfg = config("\"0 10 * * MON-FRI\"");
        try (KeelRuntime runtime = open(cfg, clock)) {
            List<ServeScheduler.Run> runs = new ServeScheduler(runtime, cfg.serve(), clock).start();
            assertThat(runs).singleElement().satisfies(r -> assertThat(r.job()).isEqualTo("rebalance"));
            assertThat(rebalances(runtime)).hasSize(1);
        }
        clock.advance(Duration.ofMinutes(5)); // restarted (or a second server): the journal has today's run
        try (KeelRuntime runtime = open(cfg, clock)) {
            assertThat(new ServeScheduler(runtime, cfg.serve(), clock).start()).isEmpty();
            assertThat(rebalances(runtime)).hasSize(1);
        }
    }

    @Test
    void theScheduleRunsAtItsMinuteOnceAndNotOnTheWeekend() throws IOException {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-23T14:00:00Z")); // Monday 9:00 New York
        KeelConfig cfg = config("\"0 10 * * MON-FRI\"");
        try (KeelRuntime runtime = open(cfg, clock)) {
            ServeScheduler scheduler = new ServeScheduler(runtime, cfg.serve(), clock);
            assertThat(scheduler.start()).isEmpty(); // yesterday's (Sunday) is no weekday run
            assertThat(scheduler.upcoming()).containsEntry("main", Instant.parse("2026-11-23T15:00:00Z"));
            clock.advance(Duration.ofMinutes(59));
            assertThat(scheduler.tick()).noneMatch(r -> r.job().equals("rebalance"));
            clock.advance(Duration.ofMinutes(1));
            assertThat(scheduler.tick()).filteredOn(r -> r.job().equals("rebalance")).singleElement()
                    .satisfies(r -> assertThat(r.result()).doesNotStartWith("failed"));
            assertThat(scheduler.tick()).noneMatch(r -> r.job().equals("rebalance"));
            assertThat(rebalances(runtime)).hasSize(1);
            assertThat(scheduler.upcoming()).containsEntry("main", Instant.parse("2026-11-24T15:00:00Z"));
        }
    }

    @Test
    void aScheduledMinuteWhenTheMarketIsClosedSendsNothing() throws IOException {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-23T22:00:00Z")); // Monday 17:00 New York
        KeelConfig cfg = config("\"30 17 * * *\"");
        try (KeelRuntime runtime = open(cfg, clock)) {
            ServeScheduler scheduler = new ServeScheduler(runtime, cfg.serve(), clock);
            scheduler.start();
            clock.advance(Duration.ofMinutes(30));
            assertThat(scheduler.tick()).filteredOn(r -> r.job().equals("rebalance")).singleElement()
                    .satisfies(r -> assertThat(r.result()).startsWith("skipped: market closed"));
            assertThat(rebalances(runtime)).isEmpty();
        }
    }

    @Test
    void theWatchAndReconcilePassOverEveryAccountOnTheirPeriods() throws IOException {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-23T15:30:00Z"));
        KeelConfig cfg = config("\"0 10 * * MON-FRI\"");
        try (KeelRuntime runtime = open(cfg, clock)) {
            ServeScheduler scheduler = new ServeScheduler(runtime, cfg.serve(), clock);
            scheduler.start();
            clock.advance(Duration.ofMinutes(1));
            assertThat(scheduler.tick()).extracting(ServeScheduler.Run::job).contains("watch")
                    .doesNotContain("reconcile");
            clock.advance(Duration.ofMinutes(14));
            assertThat(scheduler.tick()).extracting(ServeScheduler.Run::job).contains("thresholds")
                    .doesNotContain("patterns");
            clock.advance(Duration.ofMinutes(46));
            List<ServeScheduler.Run> hourly = scheduler.tick();
            assertThat(hourly).filteredOn(r -> r.job().equals("reconcile")).singleElement()
                    .satisfies(r -> assertThat(r.result()).isEqualTo("agrees"));
            assertThat(hourly).filteredOn(r -> r.job().equals("patterns")).singleElement()
                    .satisfies(r -> assertThat(r.result()).isEqualTo("0 pattern alert(s) queued"));
            scheduler.stop();
            clock.advance(Duration.ofHours(2));
            assertThat(scheduler.tick()).isEmpty();
        }
    }

    @Test
    void aWrongCronOrZoneIsAConfigErrorNamingTheField() throws IOException {
        Assertions.assertThatThrownBy(() -> config("\"every morning\""))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("keel.yaml").hasMessageContaining("accounts[0].schedule")
                .hasMessageContaining("cron expression");
        Path file = dir.resolve("zone.yaml");
        Files.writeString(file, ServeApiTest.CONFIG.formatted(dir).replace("serve: { port: 0 }",
                "serve: { port: 0, zone: Mars/Olympus }"));
        Assertions.assertThatThrownBy(() -> ConfigLoader.load(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("serve.zone").hasMessageContaining("America/New_York");
    }
}
