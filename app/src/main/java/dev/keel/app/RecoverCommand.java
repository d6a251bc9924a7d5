package dev.keel.app;

import picocli.CommandLine.Command;

/** {@code keel recover}: finish every operation a crash left in progress. */
@Command(name = "recover", description = "Resume or close every operation left in progress, resolving UNKNOWN orders with the broker.")
final class RecoverCommand extends ConfiguredCommand {
    @Override
    public Integer call() {
        return output().notWired();
    }
}
