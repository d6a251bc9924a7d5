package dev.keel.app;

import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/**
 * The top-level {@code keel} command without its subcommands: a command line that runs one of them is built of this
 * root and that subcommand alone ({@link Main#commandLine}), and inherits every attribute here.
 */
@Command(name = "keel", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, versionProvider = KeelCommand.Version.class,
        description = "Crash-safe order execution and portfolio rebalancing.",
        footer = {"", "Exit codes: 0 ok, 2 a mistake in the command or config (nothing done), 3 partial, 4 failed/aborted/needs "
                + "review or the journal/broker unusable, 1 a bug in Keel (details in keel-data/keel.log)."})
class KeelRoot extends CommandGroup {
}
