package dev.keel.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.keel.app.config.ConfigException;
import dev.keel.app.config.ConfigLoader;
import dev.keel.app.config.ConfigProblem;
import dev.keel.app.config.KeelConfig;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.ErrorContext;
import dev.keel.core.error.KeelException;
import dev.keel.store.Journals;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine.Command;

/** {@code keel config check}: configuration files. */
@Command(name = "config", description = "Work with configuration files.", subcommands = ConfigCommand.Check.class)
final class ConfigCommand extends CommandGroup {

    /** The {@code --json} document of a valid file. */
    record Valid(boolean valid, String source, KeelConfig config) {
    }

    /**
     * The {@code --json} document of an unusable file: every problem, each with file, line, path and message, and
     * the standard error response ({@code error}, {@code recovery}, {@code exit_code}) like every other error.
     */
    record Invalid(@JsonProperty("valid") boolean valid, @JsonProperty("source") String source,
                   @JsonProperty("errors") List<ConfigProblem> errors, @JsonProperty("error") ErrorDocument.Error error,
                   @JsonProperty("recovery") ErrorDocument.Recovery recovery, @JsonProperty("exit_code") int exitCode) {
        static Invalid of(String source, List<ConfigProblem> problems, ErrorCode code, String message) {
            ErrorDocument d = ErrorDocument.of(code, message, new ErrorContext(null, null,
                    UUID.randomUUID().toString(), java.util.Map.of()), Clock.systemUTC().instant(), ExitCodes.USAGE);
            return new Invalid(false, source, problems, d.error(), d.recovery(), d.exitCode());
        }
    }

    /**
     * {@code keel config check [--config FILE] [--json]}: exit 0 when the file is valid and the journal it names
     * opens, 2 with every problem when not.
     */
    @Command(name = "check", description = "Validate a configuration file, open the journal it names, and summarise "
            + "it; exit 0 if usable, 2 if not.")
    static final class Check extends ConfiguredCommand {
        @Override
        public Integer call() {
            Output output = output();
            String source = config.file().toString();
            KeelConfig loaded;
            try {
                loaded = ConfigLoader.load(config.file());
            } catch (ConfigException e) {
                output.result(Invalid.of(source, e.problems(), e.code(), e.getMessage()),
                        i -> output.error(e.getMessage()));
                return ExitCodes.USAGE;
            }
            List<ConfigProblem> secrets = new java.util.ArrayList<>();
            for (dev.keel.app.config.ChannelConfig channel : loaded.notifications()) {
                for (dev.keel.app.config.SecretRef secret : channel.secrets()) {
                    try {
                        secret.resolve(System.getenv());
                    } catch (ConfigException e) {
                        secrets.addAll(e.problems());
                    }
                }
            }
            if (!secrets.isEmpty()) {
                ConfigException e = new ConfigException(config.file(), secrets);
                output.result(Invalid.of(source, e.problems(), e.code(), e.getMessage()),
                        i -> output.error(e.getMessage()));
                return ExitCodes.USAGE;
            }
            try {
                // Opening creates and migrates a new journal, and checks an existing one, as every command will.
                Journals.open(loaded.journalUrl(), Clock.systemUTC()).close();
            } catch (KeelException e) {
                ConfigProblem problem = new ConfigProblem(config.file(), 0, "journal", e.getMessage());
                output.result(Invalid.of(source, List.of(problem), e.code(), e.getMessage()), i -> {
                    output.error(problem.toString());
                    output.error("  " + e.code() + "; what to do: " + e.code().suggestion());
                });
                return ExitCodes.USAGE;
            }
            output.result(new Valid(true, source, loaded), v -> ConfigSummary.print(v.config(), output));
            return ExitCodes.OK;
        }
    }
}
