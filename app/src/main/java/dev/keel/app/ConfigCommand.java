package dev.keel.app;

import dev.keel.app.config.ConfigException;
import dev.keel.app.config.ConfigLoader;
import dev.keel.app.config.ConfigProblem;
import dev.keel.app.config.KeelConfig;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code keel config check}: configuration files. */
@Command(name = "config", description = "Work with configuration files.", subcommands = ConfigCommand.Check.class)
final class ConfigCommand extends CommandGroup {

    /** The {@code --json} document of a valid file. */
    record Valid(boolean valid, String source, KeelConfig config) {
    }

    /** The {@code --json} document of an invalid file: every problem, each with file, line, path and message. */
    record Invalid(boolean valid, String source, List<ConfigProblem> errors) {
    }

    /** {@code keel config check [--config FILE] [--json]}: exit 0 when valid, 2 with every problem when not. */
    @Command(name = "check", description = "Validate a configuration file and summarise it; exit 0 if valid, 2 if not.")
    static final class Check extends ConfiguredCommand {
        @Override
        public Integer call() {
            Output output = output();
            String source = config.file().toString();
            try {
                KeelConfig loaded = ConfigLoader.load(config.file());
                output.result(new Valid(true, source, loaded), v -> ConfigSummary.print(v.config(), output));
                return ExitCodes.OK;
            } catch (ConfigException e) {
                output.result(new Invalid(false, source, e.problems()), i -> output.error(e.getMessage()));
                return ExitCodes.USAGE;
            }
        }
    }
}
