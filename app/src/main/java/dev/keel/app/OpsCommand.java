package dev.keel.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.keel.app.config.DurationFormat;
import dev.keel.app.runtime.KeelRuntime;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.execution.OrderTrack;
import dev.keel.core.journal.Journal;
import dev.keel.store.JdbcJournal;
import dev.keel.core.journal.TransactionSummary;
import dev.keel.core.model.OperationParams;
import dev.keel.core.model.OperationState;
import dev.keel.core.model.OperationType;
import dev.keel.core.model.Side;
import dev.keel.core.ops.OperationOutcome;
import dev.keel.core.ops.OperationView;
import dev.keel.core.ops.WatchReport;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code keel ops list|show|rollback|stats|cleanup}: the order operations in the journal. */
@Command(name = "ops", description = "Read, undo, count and archive order operations (bracket, OCO, close, "
        + "cancel-all, modify).",
        subcommands = {OpsCommand.ListOperations.class, OpsCommand.ShowOperation.class, OpsCommand.Rollback.class,
                OpsCommand.Stats.class, OpsCommand.Cleanup.class, OpsCommand.Watch.class})
final class OpsCommand extends CommandGroup {

    /** One row of {@code keel ops list}. */
    record Row(@JsonProperty("operation_id") String operationId, @JsonProperty("account") String account,
               @JsonProperty("type") OperationType type, @JsonProperty("state") OperationState state,
               @JsonProperty("started_at") Instant startedAt, @JsonProperty("ended_at") Instant endedAt,
               @JsonProperty("message") String message) {
    }

    /** {@code keel ops list}: the latest operations, newest first. */
    @Command(name = "list", description = "List the latest order operations, newest first.")
    static final class ListOperations extends TxCommand.JournalCommand {
        @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
                description = "How many operations to show (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--account", paramLabel = "ID", description = "Only this account's operations.")
        String account;

        @Option(names = "--state", paramLabel = "STATE",
                description = "Only operations in this state: ${COMPLETION-CANDIDATES}.")
        OperationState state;

        @Override
        public Integer call() {
            if (limit < 1) {
                throw new ParameterException(spec.commandLine(), "--limit: expected at least 1, but was " + limit);
            }
            Output output = output();
            try (JdbcJournal journal = readJournal()) {
                List<TransactionSummary> found = OperationLog.recent(journal, account, limit, s -> state == null
                        || OperationLog.mayBeIn(s.status(), state) && OperationLog.state(journal, s) == state);
                List<Row> rows = new ArrayList<>();
                for (TransactionSummary s : found) {
                    rows.add(new Row(s.txId(), s.accountId(), OperationType.ofOperation(s.operation()).orElseThrow(),
                            OperationLog.state(journal, s), s.startedAt(), s.endedAt(), s.errorMessage()));
                }
                output.result(rows, r -> {
                    if (r.isEmpty()) {
                        output.line(state == null ? "No order operations yet." : "No order operation is " + state
                                + ".");
                        return;
                    }
                    Table t = new Table("OPERATION", "ACCOUNT", "TYPE", "STATE", "STARTED", "ENDED");
                    r.forEach(x -> t.row(x.operationId(), x.account(), x.type().operationName(),
                            x.state() == null ? "-" : x.state().name(), x.startedAt(),
                            x.endedAt() == null ? "-" : x.endedAt()));
                    output.table(t);
                });
                return ExitCodes.OK;
            }
        }
    }

    /** {@code keel ops show ID}: one operation in full. */
    @Command(name = "show", description = "Show one order operation: its request, state moves with times and "
            + "reasons, links, orders with their events and outcomes, double fills.")
    static final class ShowOperation extends TxCommand.JournalCommand {
        @Parameters(paramLabel = "ID", description = "The operation id.")
        String id;

        @Override
        public Integer call() {
            Output output = output();
            try (JdbcJournal journal = readJournal()) {
                OperationView view = find(journal, id);
                TransactionSummary summary = journal.transaction(id).orElseThrow();
                OperationDocument doc = OperationDocument.of(view, journal, OperationLog.rollbacksOf(journal, summary));
                output.result(doc, d -> d.print(output));
                return ExitCodes.OK;
            }
        }
    }

    /** The operation {@code id}, or a clear error when the journal holds none by that id. */
    static OperationView find(Journal journal, String id) {
        OperationView view = OperationView.fold(journal.stream(id));
        if (view.transaction().started() == null) {
            throw new KeelException(ErrorCode.UNKNOWN_ID, "no operation '" + id
                    + "' in the journal; 'keel ops list' shows the recent ones");
        }
        if (view.type() == null) {
            throw new KeelException(ErrorCode.UNKNOWN_ID, "'" + id + "' is a "
                    + view.transaction().started().operation() + " transaction, not an order operation; "
                    + "'keel tx show " + id + "' shows it");
        }
        return view;
    }

    /** {@code keel ops rollback ID}: undo what a finished operation did. */
    @Command(name = "rollback", description = {
            "Undo a COMPLETED or PARTIALLY_COMPLETED operation with a new operation that names it (rollback_of):",
            "  bracket: close the position it opened (what its entry bought less what its exits sold), which also "
                    + "cancels the symbol's open orders;",
            "  OCO pair: cancel the symbol's open orders (every one of them, not only the pair's).",
            "A modification, close or cancel-all cannot be undone: place the order again. An operation in progress "
                    + "is refused (run 'keel recover' first), and so is one already rolled back."})
    static final class Rollback extends OrderCommand.OperationRunner {
        @Parameters(paramLabel = "ID", description = "The operation to undo.")
        String id;

        @Override
        public Integer call() {
            try (KeelRuntime runtime = openRuntime()) {
                Undo undo = undo(runtime.journal(), id);
                return operate(runtime, undo.account(), undo.type(), undo.params());
            }
        }

        /** The operation that undoes {@code id}: on which account, of what type, with which parameters. */
        record Undo(String account, OperationType type, OperationParams params) {
        }

        /**
         * What undoes operation {@code id}, or REQUEST_REFUSED saying why nothing can (in progress, already rolled
         * back, ended without anything to undo, or of a type that cannot be undone). The CLI and the API share it.
         */
        static Undo undo(Journal journal, String id) {
            OperationView view = find(journal, id);
            OperationState state = view.state();
            if (state == null || !state.isTerminal()) {
                refuse(id + " is still in progress (" + state + "); run 'keel recover' first, then "
                        + "roll it back if it is still wanted");
            }
            if (state == OperationState.ROLLED_BACK) {
                refuse(id + " is already ROLLED_BACK: Keel undid it when it failed");
            }
            List<String> earlier = OperationLog.rollbacksOf(journal, journal.transaction(id).orElseThrow());
            if (!earlier.isEmpty()) {
                refuse(id + " was already rolled back by " + String.join(", ", earlier)
                        + "; 'keel ops show " + earlier.get(earlier.size() - 1) + "' says how that went");
            }
            if (state != OperationState.COMPLETED && state != OperationState.PARTIALLY_COMPLETED) {
                refuse(id + " ended " + state + ": only a COMPLETED or PARTIALLY_COMPLETED operation "
                        + "has something to undo" + (state == OperationState.NEEDS_REVIEW ? "; compare 'keel "
                        + "broker orders' and 'keel broker positions' with 'keel ops show " + id + "'" : ""));
            }
            OperationParams params = view.params();
            String account = view.transaction().started().accountId();
            return switch (view.type()) {
                case BRACKET_ORDER -> {
                    BigDecimal held = heldBy(view);
                    if (held.signum() <= 0) {
                        refuse(id + " holds no position to close: what its entry bought was sold by its "
                                + "exits; cancel any order left with 'keel order cancel-all --symbol "
                                + params.symbol() + "'");
                    }
                    yield new Undo(account, OperationType.POSITION_CLOSE,
                            OperationParams.close(params.symbol(), held).withRollbackOf(id));
                }
                case OCO_PAIR -> new Undo(account, OperationType.BULK_CANCEL,
                        OperationParams.cancelAll(params.symbol()).withRollbackOf(id));
                case ORDER_MODIFICATION -> throw refusal(id + " is a modification: the old order was cancelled and "
                        + "cannot come back; place it again (or modify the replacement with 'keel order modify')");
                case POSITION_CLOSE -> throw refusal(id + " is a close: what was sold stays sold; buy again with "
                        + "'keel order bracket' if wanted");
                case BULK_CANCEL -> throw refusal(id + " is a cancel-all: cancelled orders cannot come back; place "
                        + "them again");
                case OCO_ENFORCEMENT -> throw refusal(id + " is Keel's own OCO enforcement; it is not undone by hand");
                case REBALANCE_ROLLBACK -> throw refusal(id + " rolled a rebalance back: what it sold or bought "
                        + "back is done; rebalance again to move toward the targets");
            };
        }

        private static KeelException refusal(String why) {
            return new KeelException(ErrorCode.REQUEST_REFUSED, "cannot roll back: " + why);
        }

        private static void refuse(String why) {
            throw refusal(why);
        }

        /** Shares of the bracket's symbol its orders bought less those they sold: the position it opened. */
        private static BigDecimal heldBy(OperationView view) {
            BigDecimal held = BigDecimal.ZERO;
            for (OrderTrack t : view.orders()) {
                if (t.spec().symbol().equals(view.params().symbol())) {
                    held = t.spec().side() == Side.BUY ? held.add(t.filledQuantity())
                            : held.subtract(t.filledQuantity());
                }
            }
            return held;
        }
    }

    /** {@code keel ops stats}: success and recovery rates, and the broker's circuit breakers. */
    @Command(name = "stats", description = "Count order operations: started, completed, failed, success rate, "
            + "recovery attempts and their success rate, active; overall and per type. Then each broker circuit "
            + "breaker: state, failure count and rate, retry configuration.")
    static final class Stats extends ConfiguredCommand {
        @Option(names = "--account", paramLabel = "ID", description = "Only this account (default: all).")
        String account;

        @Override
        public Integer call() {
            Output output = output();
            try (KeelRuntime runtime = openRuntimeToRead()) {
                String id = account == null ? null : runtime.accountId(account);
                OperationStats stats = OperationStats.of(runtime, id);
                output.result(stats, s -> s.print(output));
                return ExitCodes.OK;
            }
        }
    }

    /** {@code keel ops cleanup}: ended order operations into the journal's archive; rebalances stay. */
    @Command(name = "cleanup", description = "Archive order operations that ended longer ago than --older-than into "
            + "a compressed file. Rebalances stay in the live journal ('keel tx archive' archives them); operations "
            + "still in progress stay.")
    static final class Cleanup extends TxCommand.JournalCommand {
        @Option(names = "--older-than", paramLabel = "AGE", required = true,
                description = "Archive what ended longer ago than this, e.g. 30d.")
        String olderThan;

        @Option(names = "--dir", paramLabel = "DIR", defaultValue = "keel-data/archive",
                description = "Where archive files go (default: ${DEFAULT-VALUE}).")
        Path dir;

        /** What cleanup did: the archive's result, and how many of the transactions were order operations. */
        record Result(@JsonProperty("older_than") String olderThan, @JsonProperty("cutoff") Instant cutoff,
                      @JsonProperty("file") Path file, @JsonProperty("transactions") int transactions,
                      @JsonProperty("operations") int operations, @JsonProperty("records") long records,
                      @JsonProperty("note") String note) {
        }

        @Override
        public Integer call() {
            Duration age = DurationFormat.parse(olderThan).orElseThrow(() -> new ParameterException(
                    spec.commandLine(), "--older-than: expected a duration like 30d or 12h, but was '"
                    + olderThan + "'"));
            Output output = output();
            try (JdbcJournal journal = openJournal()) {
                Instant cutoff = Clock.systemUTC().instant().minus(age);
                List<String> kinds = Arrays.stream(OperationType.values()).map(OperationType::operationName).toList();
                Journal.ArchiveResult r = journal.archive(cutoff, dir, kinds);
                Result result = new Result(olderThan, cutoff, r.file(), r.transactions(), r.transactions(),
                        r.records(), "archives ended order operations only; rebalances stay in the live journal");
                output.result(result, x -> output.line(x.transactions() == 0
                        ? "Nothing to clean up: no order operation ended more than " + olderThan + " ago."
                        : "Archived " + x.operations() + " ended order operation(s), " + x.records() + " records, to "
                        + x.file() + "; rebalances stay in the live journal"));
                return ExitCodes.OK;
            }
        }
    }

    /** {@code keel ops watch}: the protection watch, once or every INTERVAL. */
    @Command(name = "watch", description = {
            "Run the protection watch over each account: journal what working orders of ended operations did at "
                    + "the broker, end finished OCO links, cancel the twin of an emulated pair's leg that filled, "
                    + "flatten and report a double fill, and cancel protection whose position is gone.",
            "Keel runs a pass before every operation, rebalance and reconcile; run this between them when a broker "
                    + "cannot hold OCO pairs, so an emulated pair's twin is cancelled promptly."})
    static final class Watch extends ConfiguredCommand {
        @Option(names = "--account", paramLabel = "ID", description = "Only this account (default: all).")
        String account;

        @Option(names = "--every", paramLabel = "INTERVAL",
                description = "Repeat every INTERVAL (e.g. 5s) until interrupted; default: one pass.")
        String every;

        @Option(names = "--passes", paramLabel = "N", description = "With --every, stop after N passes.")
        Integer passes;

        /** A watch may run for hours: its notifications print as they come. */
        @Override
        boolean notifyAtOnce() {
            return every != null;
        }

        @Override
        public Integer call() {
            Duration interval = every == null ? null : DurationFormat.parse(every)
                    .filter(d -> !d.isZero())
                    .orElseThrow(() -> new ParameterException(spec.commandLine(),
                            "--every: expected a duration like 5s or 1m, but was '" + every + "'"));
            if (passes != null && passes < 1) {
                throw new ParameterException(spec.commandLine(), "--passes: expected at least 1, but was " + passes);
            }
            int total = interval == null ? 1 : passes == null ? Integer.MAX_VALUE : passes;
            Output output = output();
            int exit = ExitCodes.OK;
            try (KeelRuntime runtime = openRuntime()) {
                List<String> ids = account == null ? runtime.engine().accountIds()
                        : List.of(runtime.accountId(account));
                for (int pass = 1; pass <= total; pass++) {
                    List<AccountPass> accounts = new ArrayList<>();
                    for (String id : ids) {
                        WatchReport report = runtime.engine().watch(id);
                        accounts.add(AccountPass.of(report));
                        for (OperationOutcome o : report.enforcements()) {
                            exit = Math.max(exit, o.state() == null || !o.state().isTerminal() ? ExitCodes.FAILED
                                    : ExitCodes.of(o.state()));
                        }
                    }
                    output.result(new PassDocument(pass, runtime.clock().instant(), accounts),
                            d -> d.accounts().forEach(a -> print(output, a)));
                    if (pass < total) {
                        runtime.sleeper().sleep(interval);
                    }
                }
            }
            return exit;
        }

        /** One pass over every account watched, as {@code --json} prints it. */
        record PassDocument(@JsonProperty("pass") int pass, @JsonProperty("at") Instant at,
                            @JsonProperty("accounts") List<AccountPass> accounts) {
        }

        /** What one pass did for one account. */
        record AccountPass(@JsonProperty("account") String account, @JsonProperty("live_links") int liveLinks,
                           @JsonProperty("orders_changed") int ordersChanged,
                           @JsonProperty("links_ended") List<String> linksEnded,
                           @JsonProperty("enforcements") List<Enforcement> enforcements,
                           @JsonProperty("note") String note) {
            static AccountPass of(WatchReport r) {
                return new AccountPass(r.accountId(), r.liveLinks(), r.ordersChanged(), r.unlinked(),
                        r.enforcements().stream().map(o -> new Enforcement(o.txId(), o.state(),
                                o.code() == null ? null : o.code().name(), o.message())).toList(), r.note());
            }

            boolean quiet() {
                return ordersChanged == 0 && linksEnded.isEmpty() && enforcements.isEmpty();
            }
        }

        /** An OCO_ENFORCEMENT operation a pass ran. */
        record Enforcement(@JsonProperty("operation_id") String operationId,
                           @JsonProperty("state") OperationState state, @JsonProperty("error_code") String errorCode,
                           @JsonProperty("message") String message) {
        }

        private static void print(Output output, AccountPass r) {
            StringBuilder line = new StringBuilder(r.account()).append(": ");
            if (r.quiet()) {
                line.append(r.liveLinks() == 0 ? "nothing to watch" : r.liveLinks() + " live link(s), all in order");
            } else {
                line.append(r.liveLinks()).append(" live link(s), ").append(r.ordersChanged())
                        .append(" working order(s) changed at the broker");
            }
            output.line(line.toString());
            r.linksEnded().forEach(u -> output.line("  ended " + u));
            for (Enforcement o : r.enforcements()) {
                output.line("  " + o.operationId() + " OCO_ENFORCEMENT " + o.state()
                        + (o.message() == null ? "" : ": " + o.message()));
            }
            if (r.note() != null) {
                output.line("  note: " + r.note());
            }
        }
    }
}
