package dev.keel.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.store.JdbcJournal;
import dev.keel.store.Journals;
import dev.keel.store.Verification;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keel journal verify|backup}: check the journal for damage, and copy it while Keel runs. */
@Command(name = "journal", description = "Check the journal for damage, or back it up.",
        subcommands = {JournalCommand.Verify.class, JournalCommand.Backup.class})
final class JournalCommand extends CommandGroup {

    /** The {@code --json} document of {@code journal verify}. */
    record VerifyDocument(@JsonProperty("journal") String journal, @JsonProperty("full") boolean full,
                          @JsonProperty("sound") boolean sound, @JsonProperty("records_checked") long records,
                          @JsonProperty("head") long head, @JsonProperty("findings") List<String> findings) {
        static VerifyDocument of(Verification v) {
            return new VerifyDocument(v.journal(), v.full(), v.sound(), v.records(), v.head(), v.findings());
        }
    }

    /** The {@code --json} document of {@code journal backup}. */
    record BackupDocument(@JsonProperty("journal") String journal, @JsonProperty("backup") Path backup,
                          @JsonProperty("bytes") long bytes) {
    }

    /** The journal of {@code --journal URL} or {@code --config}, opened without its open-time check. */
    abstract static class Inspection extends TxCommand.JournalCommand {
        JdbcJournal inspect() {
            return named(() -> Journals.openForInspection(journalUrl(), Clock.systemUTC()));
        }
    }

    /** {@code keel journal verify [--full]}: exit 0 when sound, 4 with every finding when damaged. */
    @Command(name = "verify", description = "Check the journal: without --full what every start checks (the newest "
            + "10,000 records, the views they touch, the database's quick check); with --full every record's checksum "
            + "and sequence, every view against the events, and the database's full integrity check. Exit 0 if "
            + "sound, 4 if damaged.")
    static final class Verify extends Inspection {
        @Option(names = "--full", description = "Check every record, not only the newest 10,000.")
        boolean full;

        @Override
        public Integer call() {
            Output output = output();
            Verification v;
            Bar bar = new Bar(spec.commandLine().getErr(), output.isJson());
            try (JdbcJournal journal = inspect()) {
                v = journal.verify(full, bar);
                bar.finish();
            } catch (KeelException e) {
                if (e.code() != ErrorCode.JOURNAL_CORRUPT) {
                    throw e;
                }
                // So damaged that it cannot even be opened: that is the finding.
                v = new Verification(journalUrl(), full, 0, 0, List.of(e.getMessage()));
            }
            output.result(VerifyDocument.of(v), d -> {
                output.line((d.sound() ? "Sound: " : "DAMAGED: ") + d.journal() + " (" + d.records()
                        + " records checked" + (d.full() ? ", every one" : ", the newest; --full checks all") + ")");
                d.findings().forEach(f -> output.line("  " + f));
                if (!d.sound()) {
                    output.line("What to do: " + ErrorCode.JOURNAL_CORRUPT.suggestion());
                }
            });
            return v.sound() ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }

    /** {@code keel journal backup FILE}: a consistent copy, taken while Keel runs. */
    @Command(name = "backup", description = "Copy the journal into FILE, consistently, while Keel may be running "
            + "(SQLite: VACUUM INTO). The copy opens as a journal: 'journal: sqlite:FILE'. For PostgreSQL use pg_dump.")
    static final class Backup extends Inspection {
        @Parameters(paramLabel = "FILE", description = "The new file; an existing one is never overwritten.")
        Path file;

        @Override
        public Integer call() throws java.io.IOException {
            Output output = output();
            try (JdbcJournal journal = inspect()) {
                Path copy = journal.backup(file);
                BackupDocument doc = new BackupDocument(journal.description(), copy, java.nio.file.Files.size(copy));
                output.result(doc, d -> {
                    output.line("Backed up " + d.journal() + " to " + d.backup() + " (" + d.bytes() + " bytes).");
                    output.line("To restore: stop Keel, move the journal file and its -wal and -shm files aside, copy "
                            + "the backup in its place, then 'keel journal verify --full' and 'keel recover'.");
                });
                return ExitCodes.OK;
            }
        }
    }

    /** {@code [######......] 12000/40000 records} on stderr, redrawn in place; silent in JSON mode. */
    private static final class Bar implements Verification.Listener {
        private static final int WIDTH = 30;
        private final PrintWriter err;
        private final boolean silent;
        private boolean drawn;

        Bar(PrintWriter err, boolean silent) {
            this.err = err;
            this.silent = silent;
        }

        @Override
        public void progress(long done, long total) {
            if (silent || total <= 0) {
                return;
            }
            int filled = (int) (WIDTH * Math.min(done, total) / total);
            err.print("\r[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + done + "/" + total + " records");
            err.flush();
            drawn = true;
        }

        void finish() {
            if (drawn) {
                err.println();
                err.flush();
            }
        }
    }
}
