package dev.keel.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.OrderLookedUp;
import dev.keel.store.JdbcJournal;
import dev.keel.store.Journals;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run the launcher trains its class archive on must run every command it names: a command renamed, or an option
 * or configuration field the training uses and a change refused, would leave the archive without that command's
 * classes, silently (the launcher throws the training's output away).
 */
class LauncherTrainingTest {
    @Test
    void everyCommandOfTheTrainingRunsToItsEndAndTheRebalanceMeetsALostAnswer(@TempDir Path dir) throws IOException {
        Map<String, Integer> codes = LauncherTraining.train(dir);

        assertThat(codes).hasSize(9).containsKeys("rebalance --account train --json", "tx list", "status",
                "account status", "recover --json");
        assertThat(codes).allSatisfy((command, code) -> assertThat(code).as(command).isEqualTo(ExitCodes.OK));
        List<JournalRecord> records = new ArrayList<>();
        try (JdbcJournal journal = Journals.open("sqlite:" + dir.resolve("keel.db"), Clock.systemUTC())) {
            journal.replay(0, records::add);
        }
        assertThat(records).as("the lookup's classes are loaded too")
                .anySatisfy(r -> assertThat(r.event()).isInstanceOf(OrderLookedUp.class));
    }
}
