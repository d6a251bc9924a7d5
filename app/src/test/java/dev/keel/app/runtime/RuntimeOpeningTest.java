package dev.keel.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.app.config.ConfigLoader;
import dev.keel.app.config.KeelConfig;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.time.ManualClock;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in exchange opens its state beside the journal's open: when the journal cannot be opened, the exchange
 * that opened meanwhile is closed again, so its state file is free for the next start.
 */
class RuntimeOpeningTest {
    @TempDir
    Path dir;

    @Test
    void aJournalThatCannotBeOpenedLeavesTheExchangesStateFreeForTheNextStart() throws Exception {
        Path inTheWay = Files.writeString(dir.resolve("a-file"), "not a folder");
        ManualClock clock = new ManualClock(Instant.parse("2026-12-07T15:00:00Z"));
        PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());

        assertThatThrownBy(() -> KeelRuntime.open(config("sqlite:" + inTheWay.resolve("keel.db")), clock,
                clock::sleep, quiet, 42))
                .isInstanceOfSatisfying(KeelException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.JOURNAL_UNAVAILABLE));

        try (KeelRuntime runtime = KeelRuntime.open(config("sqlite:" + dir.resolve("keel.db")), clock, clock::sleep,
                quiet, 42)) {
            assertThat(runtime.gateway("main").broker().account().cash()).isEqualByComparingTo("1000.00");
        }
    }

    private KeelConfig config(String journal) {
        return ConfigLoader.parse("""
                journal: %2$s
                broker:
                  kind: paper
                  paper:
                    state: %1$s/paper.db
                    cash: 1000.00
                    prices: { VTI: 250.00 }
                accounts:
                  - id: main
                    targets: { VTI: 1.0 }
                """.formatted(dir, journal), Path.of("keel.yaml"), dir);
    }
}
