package dev.keel.app;

import picocli.CommandLine.Command;

/** {@code keel reconcile}: compare the journal with the broker. */
@Command(name = "reconcile", description = "Compare the journal's expected positions and cash with the broker's, and report differences.")
final class ReconcileCommand extends ConfiguredCommand {
    @Override
    public Integer call() {
        return output().notWired();
    }
}
