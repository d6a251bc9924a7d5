package dev.keel.core.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.chaos.ChaosChannel;
import dev.keel.core.chaos.ChaosSession;
import dev.keel.core.chaos.ChaosTarget;
import dev.keel.core.error.Severity;
import dev.keel.core.journal.ChaosStarted;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotificationChannelTest {
    private static final Instant T0 = Instant.parse("2026-03-02T15:00:00Z");

    @Test
    void fileChannelAppendsOneJsonLinePerNotificationCreatingFolders(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("keel-data/notifications/outbox.log");
        FileChannel channel = new FileChannel(file);

        channel.send(new Notification("n-1", "acct-1", "tx-1", Severity.HIGH, "Rebalance \"partial\"",
                "TLT buy failed\nretry tomorrow", T0));
        channel.send(new Notification("n-2", "acct-1", null, Severity.INFO, "Hello", "body", T0));

        assertThat(Files.readAllLines(file, StandardCharsets.UTF_8)).containsExactly(
                "{\"at\":\"2026-03-02T15:00:00Z\",\"id\":\"n-1\",\"accountId\":\"acct-1\",\"txId\":\"tx-1\","
                        + "\"severity\":\"high\",\"title\":\"Rebalance \\\"partial\\\"\","
                        + "\"body\":\"TLT buy failed\\nretry tomorrow\"}",
                "{\"at\":\"2026-03-02T15:00:00Z\",\"id\":\"n-2\",\"accountId\":\"acct-1\",\"txId\":null,"
                        + "\"severity\":\"info\",\"title\":\"Hello\",\"body\":\"body\"}");
    }

    @Test
    void onlyTheFileChannelAppendsLocallyAndARehearsalWrappingItKeepsThat(@TempDir Path dir) {
        FileChannel file = new FileChannel(dir.resolve("n.log"));
        ConsoleChannel console = new ConsoleChannel(new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));

        assertThat(file.appendsLocally()).isTrue();
        assertThat(console.appendsLocally()).isFalse(); // a terminal or a pipe can stop reading
        ChaosSession rehearsal = new ChaosSession(new ChaosStarted("c-1", ChaosTarget.NOTIFY_PREFIX + file.name(),
                "down", 0.5, 7, T0.plusSeconds(300), "op", T0), null);
        assertThat(ChaosChannel.of(file, List.of(rehearsal), Clock.fixed(T0, ZoneOffset.UTC)))
                .isInstanceOf(ChaosChannel.class).satisfies(c -> assertThat(c.appendsLocally()).isTrue());
    }

    @Test
    void consoleChannelPrintsOneIndentedBlockPerNotification() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleChannel channel = new ConsoleChannel(new PrintStream(bytes, true, StandardCharsets.UTF_8));

        channel.send(new Notification("n-1", "acct-1", "tx-1", Severity.HIGH, "Rebalance partial",
                "TLT buy failed\nretry tomorrow", T0));

        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("""
                [HIGH] Rebalance partial
                  account acct-1, transaction tx-1, at 2026-03-02T15:00:00Z, id n-1
                  TLT buy failed
                  retry tomorrow

                """);
    }

    @Test
    void channelWithMinimumSeverityTakesOnlyAsUrgent() {
        FileChannel channel = new FileChannel("alerts", Path.of("unused"), Severity.HIGH);

        assertThat(channel.accepts(new Notification("n", "a", null, Severity.CRITICAL, "t", "b", T0))).isTrue();
        assertThat(channel.accepts(new Notification("n", "a", null, Severity.HIGH, "t", "b", T0))).isTrue();
        assertThat(channel.accepts(new Notification("n", "a", null, Severity.MEDIUM, "t", "b", T0))).isFalse();
    }
}
