package dev.keel.sim;

import java.util.Set;

/** Not a test: a main to run seeds by hand while developing the simulation. */
final class Probe {
    private Probe() {
    }

    public static void main(String[] args) {
        long from = Long.parseLong(args[0]);
        long n = Long.parseLong(args[1]);
        SimRunner.Summary s = SimRunner.run(new SimRunner.Options(from, n, 20, null, 2, args.length > 2
                ? Set.of(dev.keel.core.execution.PlantedBug.valueOf(args[2])) : Set.of()), (r, d) -> { });
        System.out.println(s.scenarios() + " scenarios in " + s.elapsedMillis() + " ms (" + s.scenariosPerMinute()
                + "/min); crashes " + s.crashes() + "; outcomes " + s.outcomes() + "; faults " + s.faults());
        s.violations().stream().limit(15).forEach(v -> System.out.println(v.headline()));
        System.out.println("violations: " + s.violations().size() + " in seeds " + s.failingSeeds().stream().limit(30).toList());
    }
}
