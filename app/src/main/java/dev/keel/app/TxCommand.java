package dev.keel.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.execution.TransactionView;
import dev.keel.core.journal.Journal;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.TransactionSummary;
import dev.keel.app.runtime.KeelRuntime;
import dev.keel.store.JdbcJournal;
import dev.keel.store.Journals;
import dev.keel.core.model.TransactionStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code keel tx list|show}: the transaction log. */
@Command(name = "tx", description = "Read the transaction log.",
        subcommands = {TxCommand.ListTransactions.class, TxCommand.ShowTransaction.class,
                TxCommand.ArchiveTransactions.class, TxCommand.RollbackRebalance.class})
final class TxCommand extends CommandGroup {

    /** The journal of {@code --journal URL}, or the one {@code --config} names. Reading opens nothing else. */
    abstract static class JournalCommand extends ConfiguredCommand {
        @Option(names = "--journal", paramLabel = "URL",
                description = "Read this journal (sqlite:PATH or a PostgreSQL URL) instead of the one in --config.")
        String journalUrl;

        /** The journal, checked in full as it opens, for a command that writes to it (an archive, a cleanup). */
        JdbcJournal openJournal() {
            return named(() -> Journals.open(journalUrl(), Clock.systemUTC()));
        }

        /**
         * The journal for a command that only reads it: checked as it opens as {@link #openJournal} does, except the
         * events' table, whose records are checked one by one as they are read. A damaged index of the views is still
         * refused rather than leaving transactions silently out of a list (TroubleReportsTest); the check's cost
         * grows with the transactions, not with their records.
         */
        JdbcJournal readJournal() {
            return named(() -> Journals.openToRead(journalUrl(), Clock.systemUTC()));
        }

        /** The journal URL of {@code --journal}, else the configuration's. */
        String journalUrl() {
            return journalUrl != null ? journalUrl : loadConfig().journalUrl();
        }

        /** Opens with {@code open}; a malformed {@code --journal} URL is a mistake in that option, exit 2. */
        <T> T named(java.util.function.Supplier<T> open) {
            try {
                return open.get();
            } catch (KeelException e) {
                if (journalUrl == null || e.code() != ErrorCode.CONFIG_INVALID) {
                    throw e;
                }
                throw new ParameterException(spec.commandLine(), "--journal: " + e.getMessage());
            }
        }
    }

    /** {@code keel tx list}: the latest transactions, newest first. */
    @Command(name = "list", description = "List the latest transactions, newest first.")
    static final class ListTransactions extends JournalCommand {
        @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
                description = "How many transactions to show (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--account", paramLabel = "ID", description = "Only this account's transactions.")
        String account;

        @Override
        public Integer call() {
            if (limit < 1) {
                throw new ParameterException(spec.commandLine(), "--limit: expected at least 1, but was " + limit);
            }
            Output output = output();
            try (JdbcJournal journal = readJournal()) {
                List<Row> rows = journal.recentTransactions(limit, account).stream().map(Row::of).toList();
                List<Journal.ArchiveResult> archives = journal.archives();
                output.result(rows, r -> {
                    if (r.isEmpty()) {
                        output.line(archives.isEmpty() ? "No transactions yet." : "No transactions in the live "
                                + "journal.");
                    } else {
                        Table t = new Table("TRANSACTION", "STARTED", "ACCOUNT", "OPERATION", "STATUS", "ERROR");
                        r.forEach(s -> t.row(s.transactionId(), s.startedAt(), s.account(), s.operation(),
                                s.status() == null ? "-" : s.status().name(),
                                s.errorMessage() == null ? "" : s.errorMessage()));
                        output.table(t);
                    }
                    if (!archives.isEmpty()) {
                        printArchives(output, archives);
                    }
                });
                return ExitCodes.OK;
            }
        }
    }

    /** One line of {@code tx list --json}, in the transaction log's snake_case names. */
    record Row(@JsonProperty("transaction_id") String transactionId, @JsonProperty("account") String account,
               @JsonProperty("operation") String operation, @JsonProperty("status") TransactionStatus status,
               @JsonProperty("started_at") Instant startedAt, @JsonProperty("ended_at") Instant endedAt,
               @JsonProperty("error_message") String errorMessage) {
        static Row of(TransactionSummary s) {
            return new Row(s.txId(), s.accountId(), s.operation(), s.status(), s.startedAt(), s.endedAt(),
                    s.errorMessage());
        }
    }

    /** Where older transactions went, and how to read them. */
    static void printArchives(Output output, List<Journal.ArchiveResult> archives) {
        long transactions = archives.stream().mapToLong(Journal.ArchiveResult::transactions).sum();
        output.line("");
        output.line("Older: " + transactions + " ended transaction(s) were archived, in " + archives.size()
                + " file(s) (gzipped JSON lines, one event each, checksummed):");
        archives.forEach(a -> output.line("  " + a.file() + "  (" + a.transactions() + " transaction(s))"));
        output.line("Read one with: zcat FILE | jq .   (or: zgrep TRANSACTION_ID FILE)");
    }

    /** {@code keel tx show ID}: one transaction with its orders and reconciliation notes. */
    @Command(name = "show", description = "Show one transaction: its orders, status and reconciliation notes.")
    static final class ShowTransaction extends JournalCommand {
        @Parameters(paramLabel = "ID", description = "The transaction id.")
        String id;

        @Override
        public Integer call() {
            Output output = output();
            try (Journal journal = readJournal()) {
                List<JournalRecord> records = journal.stream(id);
                TransactionView view;
                try {
                    view = TransactionView.fold(records);
                } catch (RuntimeException unfoldable) {
                    // closed NEEDS_REVIEW by recovery; shown as written, so the operator can see what went wrong
                    Unfoldable doc = Unfoldable.of(id, journal.transaction(id).orElse(null), records, unfoldable);
                    output.result(doc, d -> d.print(output));
                    return ExitCodes.OK;
                }
                if (view.started() == null) {
                    throw new KeelException(ErrorCode.UNKNOWN_ID, "no transaction '" + id
                            + "' in the journal; 'keel tx list' shows the recent ones");
                }
                TransactionDocument doc = TransactionDocument.of(view);
                output.result(doc, d -> print(output, d, view));
                return ExitCodes.OK;
            }
        }

        private static void print(Output output, TransactionDocument d, TransactionView view) {
            output.line("Transaction " + d.transactionId() + "  " + d.operation() + "  account " + d.account());
            output.line("Started  " + d.timestamp() + (d.endedAt() == null ? "" : "   ended " + d.endedAt())
                    + (d.resumed() > 0 ? "   resumed " + d.resumed() + "x" : ""));
            output.line("Status   " + d.status() + (d.errorCode() == null ? "" : " (" + d.errorCode() + ")"));
            if (d.errorMessage() != null) {
                output.line("Error    " + d.errorMessage());
            }
            output.line("");
            Table t = new Table("LEG", "SIDE", "TICKER", "AMOUNT", "STATUS", "FILLED QTY", "FILLED $", "RETRIES",
                    "CLIENT ORDER ID", "ORDER ID", "ERROR");
            for (TransactionDocument.ExecutedOrder o : d.executedOrders()) {
                t.row(o.leg(), o.side(), o.ticker(), o.amountUsd().toPlainString(), o.status().name(),
                        o.filledQty().stripTrailingZeros().toPlainString(), o.filledUsd().toPlainString(),
                        Integer.toString(o.retryCount()), o.clientOrderId(), o.orderId() == null ? "-" : o.orderId(),
                        o.errorCode() == null ? "" : o.errorCode().name());
            }
            output.table(t);
            List<String> story = RecoveryStory.lines(view);
            if (!story.isEmpty()) {
                output.line("");
                output.line("Recovery:");
                story.forEach(l -> output.line("  " + l));
            }
            if (d.reconciliationNotes() != null) {
                output.line("");
                output.line("Reconciliation: " + d.reconciliationNotes());
            }
        }
    }

    /**
     * A transaction whose events cannot be folded (an illegal move a bug once wrote): its summary and every record as
     * written, with the fold's complaint.
     *
     * @param foldError why the events cannot be folded
     * @param records   each record: its sequence, event type and time
     */
    record Unfoldable(String transactionId, String account, String operation, String status, String foldError,
                      List<Entry> records) {
        /** One record as written. */
        record Entry(long sequence, String type, java.time.Instant at) {
        }

        static Unfoldable of(String id, dev.keel.core.journal.TransactionSummary summary, List<JournalRecord> records,
                             RuntimeException why) {
            return new Unfoldable(id, summary == null ? null : summary.accountId(),
                    summary == null ? null : summary.operation(),
                    summary == null || summary.status() == null ? null : summary.status().name(),
                    why.getMessage(), records.stream().map(r -> new Entry(r.sequence(),
                            r.event().getClass().getSimpleName(), r.event().at())).toList());
        }

        void print(Output output) {
            output.line("Transaction " + transactionId + "  " + operation + "  account " + account);
            output.line("Status   " + status);
            output.line("Its journal events cannot be folded: " + foldError);
            output.line("The journal keeps every record; as written:");
            Table t = new Table("SEQ", "EVENT", "AT");
            records.forEach(e -> t.row(Long.toString(e.sequence()), e.type(), e.at().toString()));
            output.table(t);
        }
    }

    /** {@code keel tx archive}: retention; old finished transactions move to a compressed archive file. */
    @Command(name = "archive", description = "Move finished transactions older than the retention period into a "
            + "compressed archive file (nothing is dropped: the file holds every event, checksummed).")
    static final class ArchiveTransactions extends JournalCommand {
        @Option(names = "--older-than", paramLabel = "AGE", defaultValue = "90d",
                description = "Archive transactions that ended longer ago than this (default: ${DEFAULT-VALUE}).")
        String olderThan;

        @Option(names = "--dir", paramLabel = "DIR", defaultValue = "keel-data/archive",
                description = "Where archive files go (default: ${DEFAULT-VALUE}).")
        java.nio.file.Path dir;

        @Override
        public Integer call() {
            java.time.Duration age = dev.keel.app.config.DurationFormat.parse(olderThan).orElseThrow(() ->
                    new picocli.CommandLine.ParameterException(spec.commandLine(),
                            "--older-than: expected a duration like 30d or 12h, but was '" + olderThan + "'"));
            Output output = output();
            try (Journal journal = openJournal()) {
                Journal.ArchiveResult result = journal.archive(Clock.systemUTC().instant().minus(age), dir);
                output.result(result, r -> output.line(r.transactions() == 0
                        ? "Nothing to archive: no finished transaction is older than " + olderThan + "."
                        : "Archived " + r.transactions() + " transaction(s), " + r.records() + " records, to "
                        + r.file()));
                return ExitCodes.OK;
            }
        }
    }

    /**
     * {@code keel tx rollback ID}: undo a PARTIAL rebalance with compensating orders, a REBALANCE_ROLLBACK operation
     * of its own (what the rebalance bought is sold, what it sold is bought back, for what filled).
     */
    @Command(name = "rollback", description = {
            "Undo a PARTIAL rebalance: for every order of it that filled, an order the other way for what filled, "
                    + "sells first, as an operation of its own (rollback_of names the rebalance).",
            "Buys back need an ACTIVE account whose broker agrees with the journal; sells go out on a frozen one too."})
    static final class RollbackRebalance extends OrderCommand.OperationRunner {
        @Parameters(paramLabel = "ID", description = "The PARTIAL rebalance to undo.")
        String id;

        @Override
        public Integer call() {
            try (KeelRuntime runtime = openRuntime()) {
                String account = undoable(runtime.journal(), id);
                return operate(runtime, account, dev.keel.core.model.OperationType.REBALANCE_ROLLBACK,
                        dev.keel.core.model.OperationParams.undoRebalance(id));
            }
        }
    }

    /**
     * The account of the rebalance {@code id} when it may be rolled back: it exists and no rollback of it was started
     * before (the saga checks the rest: a rebalance, PARTIAL, something filled). The CLI and the API share it.
     */
    static String undoable(Journal journal, String id) {
        TransactionSummary summary = journal.transaction(id).orElseThrow(() -> new KeelException(ErrorCode.UNKNOWN_ID,
                "no transaction '" + id + "' in the journal; 'keel tx list' shows the recent ones"));
        List<String> earlier = OperationLog.rollbacksOf(journal, summary);
        if (!earlier.isEmpty()) {
            throw new KeelException(ErrorCode.REQUEST_REFUSED, "cannot roll back: " + id + " was already rolled back "
                    + "by " + String.join(", ", earlier) + "; 'keel ops show " + earlier.get(earlier.size() - 1)
                    + "' says how that went");
        }
        return summary.accountId();
    }
}
