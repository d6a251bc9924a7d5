package dev.keel.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.app.config.ConfigLoader;
import dev.keel.app.config.KeelConfig;
import dev.keel.core.engine.SideBySide;
import dev.keel.core.time.ManualClock;
import dev.keel.core.time.Sleeper;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery works at most {@link KeelRuntime#RECOVERY_WIDTH} accounts at once, and an account that waits gives its place
 * to the next: so every part the runtime builds must wait through its yielding sleeper. Here a call to the paper
 * exchange waits out the exchange's latency, with one place, while a second task must work for the wait to end.
 * Found in review: the runtime wrapped the sleeper it hands out, but built the exchange, the executors, the leases and
 * the resilience with the one it was given, so their waits kept their places.
 */
class RecoveryPlacesTest {
    @TempDir
    Path dir;

    @Test
    void aWaitInsideThePartsTheRuntimeBuildsGivesItsPlaceToTheNextAccount() {
        KeelConfig config = ConfigLoader.parse("""
                journal: sqlite:%1$s/keel.db
                broker:
                  kind: paper
                  paper:
                    state: %1$s/paper.db
                    latency: 1s
                    cash: 1000.00
                    prices: { VTI: 250.00 }
                accounts:
                  - id: main
                    targets: { VTI: 1.0 }
                """.formatted(dir), Path.of("keel.yaml"), dir);
        CountDownLatch secondWorked = new CountDownLatch(1);
        ManualClock clock = new ManualClock(Instant.parse("2026-12-07T15:00:00Z"));
        Sleeper latencyUntilTheSecondWorked = d -> {
            if (d.equals(Duration.ofSeconds(1))) {
                await(secondWorked);
            }
            clock.sleep(d);
        };
        List<String> done = Collections.synchronizedList(new ArrayList<>());
        try (KeelRuntime runtime = KeelRuntime.open(config, clock, latencyUntilTheSecondWorked,
                new PrintStream(PrintStream.nullOutputStream()), 42)) {
            SideBySide.threads("test", 1).runAll(List.of(
                    () -> {
                        runtime.gateway("main").lookup("no-such-order");
                        done.add(secondWorked.getCount() == 0 ? "a's call ended after b worked" : "a waited alone");
                    },
                    () -> {
                        done.add("b worked");
                        secondWorked.countDown();
                    }));
        }
        assertThat(done).containsExactly("b worked", "a's call ended after b worked");
    }

    /** Waits a bound that only a runtime whose waits keep their place reaches; the outcome is asserted, not the time. */
    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
