package dev.keel.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.app.config.ConfigException;
import dev.keel.app.config.ConfigProblem;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.model.TransactionStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

class MainTest {

    @Test
    void versionAndHelpExitZero() {
        assertThat(Run.of("--version").exitCode()).isEqualTo(ExitCodes.OK);
        Run help = Run.of("--help");
        assertThat(help.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(help.out()).contains("demo", "rebalance", "tx", "recover", "reconcile", "broker", "config");
    }

    @Test
    void misspelledCommandIsBadUsageWithSuggestions() {
        Run run = Run.of("rebalnce");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("keel: Unmatched argument at index 0: 'rebalnce'", "keel rebalance",
                "Try 'keel --help'.");
    }

    @Test
    void groupWithoutSubcommandShowsUsageAndExitsTwo() {
        Run run = Run.of("broker");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("orders", "positions", "account");
    }

    @Test
    void configExceptionFromAnyCommandExitsTwoWithoutAStackTrace() {
        Run run = Run.of(cl -> cl.addSubcommand("boom", new Throws(new ConfigException(Path.of("keel.yaml"),
                List.of(new ConfigProblem(Path.of("keel.yaml"), 3, "risk.max-order", "must be greater than 0, but was 0"))))),
                "boom");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).isEqualTo("keel.yaml:3: risk.max-order: must be greater than 0, but was 0"
                + System.lineSeparator());
    }

    @Test
    void unexpectedExceptionIsKeelsBugExitsOneAndPointsAtTheLogWithoutAJavaClassName() {
        Run run = Run.of(cl -> cl.addSubcommand("boom", new Throws(new IllegalStateException("wheels fell off\nmore"))),
                "boom");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INTERNAL);
        List<String> lines = run.err().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("keel: internal error: wheels fell off (details in " + Main.LOG_FILE
                + ", correlation id ").doesNotContain("IllegalStateException");
        assertThat(lines.get(1)).contains("a bug in Keel");
    }

    @Test
    void unexpectedExceptionWithJsonIsAnInternalErrorDocumentOnStdout() throws Exception {
        Run run = Run.of(cl -> cl.addSubcommand("boom", new Throws(new IllegalStateException("wheels fell off"))),
                "boom", "--json");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INTERNAL);
        assertThat(run.err()).isEmpty();
        JsonNode doc = new ObjectMapper().readTree(run.out());
        assertThat(doc.at("/error/code").asText()).isEqualTo("INTERNAL_ERROR");
        assertThat(doc.at("/error/category").asText()).isEqualTo("system");
        assertThat(doc.at("/error/correlation_id").asText()).isNotBlank();
        assertThat(doc.at("/exit_code").asInt()).isEqualTo(1);
    }

    @Test
    void damagedJournalIsNotKeelsBugItExitsFourWithItsCodeAndWhatToDo() {
        Run run = Run.of(cl -> cl.addSubcommand("boom", new Throws(new KeelException(ErrorCode.JOURNAL_CORRUPT,
                "record 17 failed its checksum"))), "boom");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err().lines()).containsExactly(
                "keel: JOURNAL_CORRUPT: record 17 failed its checksum (details in " + Main.LOG_FILE + ")",
                "  what to do: " + ErrorCode.JOURNAL_CORRUPT.suggestion());
    }

    @Test
    void exitCodeOfAnErrorSaysWhoseMistakeItWas() {
        assertThat(List.of(ErrorCode.USAGE_INVALID, ErrorCode.CONFIG_INVALID, ErrorCode.UNKNOWN_ID,
                ErrorCode.REQUEST_REFUSED, ErrorCode.INVALID_ORDER))
                .allSatisfy(c -> assertThat(ExitCodes.of(c)).as("%s", c).isEqualTo(ExitCodes.USAGE));
        assertThat(ExitCodes.of(ErrorCode.INTERNAL_ERROR)).isEqualTo(ExitCodes.INTERNAL);
        assertThat(List.of(ErrorCode.JOURNAL_CORRUPT, ErrorCode.JOURNAL_UNAVAILABLE, ErrorCode.JOURNAL_WRITE_FAILED,
                ErrorCode.BROKER_UNAVAILABLE))
                .allSatisfy(c -> assertThat(ExitCodes.of(c)).as("%s", c).isEqualTo(ExitCodes.FAILED));
    }

    @Test
    void exitCodesFollowTheTerminalStatus() {
        assertThat(ExitCodes.of(TransactionStatus.COMPLETED)).isEqualTo(0);
        assertThat(ExitCodes.of(TransactionStatus.PARTIAL)).isEqualTo(3);
        assertThat(List.of(TransactionStatus.FAILED, TransactionStatus.ABORTED, TransactionStatus.ROLLED_BACK,
                TransactionStatus.NEEDS_REVIEW)).allSatisfy(s -> assertThat(ExitCodes.of(s)).isEqualTo(4));
        assertThat(ExitCodes.of(TransactionStatus.IN_PROGRESS)).isEqualTo(1);
    }

    /** A command that fails the way the test says. */
    @Command(name = "boom")
    static final class Throws implements Callable<Integer> {
        private final RuntimeException failure;

        @picocli.CommandLine.Mixin
        Options.Json json;

        Throws(RuntimeException failure) {
            this.failure = failure;
        }

        @Override
        public Integer call() {
            throw failure;
        }
    }
}
