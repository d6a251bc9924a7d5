package dev.keel.core.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.Severity;
import dev.keel.core.journal.ForwardingJournal;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.MemoryJournal;
import dev.keel.core.journal.TransactionEnded;
import dev.keel.core.model.TransactionStatus;
import dev.keel.core.time.ManualClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A notification that names no code of its own reports its transaction's ending code; the outbox reads the
 * transaction for it at most once (issue 15: every dispatch read every open notification's transaction back, half
 * of the CPU of a rebalance benchmark), and not at all for an ending it was told of.
 */
class OutboxEndingCodeTest {
    private static final Instant T0 = Instant.parse("2026-03-02T15:00:00Z");

    /** Counts reads of transaction streams. */
    private static final class CountingJournal extends ForwardingJournal {
        final List<String> transactionReads = new ArrayList<>();

        CountingJournal() {
            super(new MemoryJournal());
        }

        @Override
        public List<JournalRecord> stream(String streamId) {
            if (streamId.startsWith("tx-")) {
                transactionReads.add(streamId);
            }
            return super.stream(streamId);
        }
    }

    private final ManualClock clock = new ManualClock(T0);
    private final CountingJournal journal = new CountingJournal();
    private final Outbox outbox = Outbox.builder(journal, clock, new SplittableRandom(7)).build();

    private TransactionEnded endWith(String txId, ErrorCode code) {
        TransactionEnded ended = new TransactionEnded(txId, "acct-1", TransactionStatus.PARTIAL, code, "one buy failed",
                null, T0);
        journal.appendAll(List.of(ended, outbox.prepare("acct-1", txId, Severity.HIGH, "Rebalance PARTIAL", "body")));
        return ended;
    }

    @Test
    void anEndingReadBackOnceIsRemembered() {
        endWith("tx-1", ErrorCode.INSUFFICIENT_BUYING_POWER);

        assertThat(outbox.pending()).extracting(Notification::code).containsExactly(ErrorCode.INSUFFICIENT_BUYING_POWER);
        assertThat(outbox.pending()).extracting(Notification::code).containsExactly(ErrorCode.INSUFFICIENT_BUYING_POWER);
        assertThat(journal.transactionReads).containsExactly("tx-1");
    }

    @Test
    void anEndingTheOutboxWasToldOfIsNotReadBack() {
        outbox.ended(endWith("tx-2", ErrorCode.INSUFFICIENT_BUYING_POWER));
        outbox.ended(endWith("tx-3", null));

        assertThat(outbox.pending()).extracting(Notification::code)
                .containsExactlyInAnyOrder(ErrorCode.INSUFFICIENT_BUYING_POWER, null);
        assertThat(journal.transactionReads).isEmpty();
    }

    /**
     * A notification prepared with its transaction's ending carries the ending's code, none included: a round that
     * reads it before the session told the outbox of the ending does not read the transaction back (with 32
     * rebalances at once, nearly every notification was read back that way).
     */
    @Test
    void aNotificationPreparedWithItsEndingIsNotReadBackBeforeTheOutboxIsTold() {
        TransactionEnded ended = new TransactionEnded("tx-5", "acct-1", TransactionStatus.COMPLETED, null, "done", null,
                T0);
        journal.appendAll(List.of(ended, outbox.prepareEnding("acct-1", "tx-5", Severity.INFO, null,
                "Rebalance COMPLETED", "body")));

        assertThat(outbox.pending()).extracting(Notification::code).containsOnlyNulls();
        assertThat(journal.transactionReads).isEmpty();
    }

    @Test
    void aTransactionNotEndedYetIsAskedAgainLater() {
        journal.append(outbox.prepare("acct-1", "tx-4", Severity.HIGH, "Order operation needs you", "body"));
        assertThat(outbox.pending()).extracting(Notification::code).containsOnlyNulls();

        journal.append(new TransactionEnded("tx-4", "acct-1", TransactionStatus.FAILED, ErrorCode.ORDER_REJECTED,
                "refused", null, T0));

        assertThat(outbox.pending()).extracting(Notification::code).containsExactly(ErrorCode.ORDER_REJECTED);
        assertThat(journal.transactionReads).containsExactly("tx-4", "tx-4");
    }
}
