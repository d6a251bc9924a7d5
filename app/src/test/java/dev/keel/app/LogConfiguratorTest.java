package dev.keel.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.classic.spi.Configurator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

/**
 * The CLI's logging as {@link LogConfigurator} sets it up: INFO and up in the file with the operation's MDC keys,
 * WARN and up on the terminal without stack traces, {@link Main}'s own lines in the file only.
 */
class LogConfiguratorTest {
    @TempDir
    Path dir;

    @Test
    void theFileGetsEverythingFromInfoAndTheTerminalWarningsWithoutStackTraces() throws IOException {
        Path file = dir.resolve("keel.log");
        LoggerContext context = new LoggerContext();
        LogbackMDCAdapter mdc = new LogbackMDCAdapter(); // what logback's service provider gives the global context
        context.setMDCAdapter(mdc);
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        PrintStream err = System.err;
        System.setErr(new PrintStream(terminal, true, StandardCharsets.UTF_8));
        try {
            LogConfigurator.install(context, file.toString());
            Logger engine = context.getLogger("dev.keel.core.engine.Engine");
            mdc.put("operationId", "rb-1");
            try {
                engine.debug("not kept");
                engine.info("resuming rb-1");
            } finally {
                mdc.remove("operationId");
            }
            engine.warn("broker slow", new IllegalStateException("timeout"));
            context.getLogger(Main.class).error("command failed", new IllegalStateException("wheels fell off"));
        } finally {
            System.setErr(err);
            context.stop();
        }

        String logged = Files.readString(file);
        assertThat(logged).doesNotContain("not kept")
                .containsPattern("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3} INFO  \\[.+] "
                        + "dev\\.keel\\.core\\.engine\\.Engine op=rb-1 account= correlation= - resuming rb-1")
                .contains("WARN ", "broker slow", "java.lang.IllegalStateException: timeout")
                .contains("command failed", "wheels fell off");
        assertThat(terminal.toString(StandardCharsets.UTF_8)).isEqualTo("keel: WARN: broker slow"
                + System.lineSeparator());
    }

    @Test
    void aConfigurationFileOnTheClassPathOrNamedIsLeftToLogback() {
        // this module's tests have logback-test.xml on the class path
        assertThat(new LogConfigurator().configure(new LoggerContext()))
                .isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
    }
}
