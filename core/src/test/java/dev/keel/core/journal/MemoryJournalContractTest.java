package dev.keel.core.journal;

import static dev.keel.core.journal.JournalSamples.T0;
import static dev.keel.core.journal.JournalSamples.started;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryJournalContractTest extends JournalContractTest {
    private MemoryJournal last;

    @Override
    protected Journal open(Clock clock) {
        last = last == null ? new MemoryJournal() : last.reopen();
        return last;
    }

    @Override
    protected List<JournalRecord> readArchive(Journal journal, Journal.ArchiveResult result) {
        assertThat(result.file()).isNull();
        return ((MemoryJournal) journal).archived();
    }

    @Test
    void failingWritesWriteNothingUntilTheyRecover() {
        MemoryJournal memory = (MemoryJournal) journal;
        memory.append(started("tx-1", "acct-1", T0));
        memory.failWrites(true);

        assertThatThrownBy(() -> memory.appendAll(List.of(started("tx-2", "acct-1", T0))))
                .isInstanceOfSatisfying(KeelException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.JOURNAL_WRITE_FAILED));
        memory.failWrites(false);

        assertThat(memory.append(started("tx-3", "acct-1", T0)).sequence()).isEqualTo(2);
        assertThat(memory.all()).extracting(r -> r.event().streamId()).containsExactly("tx-1", "tx-3");
    }

    @Test
    void everyEventTypeHasASample() {
        assertThat(JournalSamples.typesWithoutSample()).isEmpty();
    }
}
