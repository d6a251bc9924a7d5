package dev.keel.sim;

import java.util.Set;

/** Not a test: prints the trace of one seed while developing the simulation. */
final class TraceProbe {
    private TraceProbe() {
    }

    public static void main(String[] args) {
        SimRunner.trace(Long.parseLong(args[0]), 20, Set.of()).forEach(System.out::println);
    }
}
