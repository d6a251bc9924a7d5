package dev.keel.app.bench;

import dev.keel.app.config.ConfigLoader;
import dev.keel.app.config.KeelConfig;
import dev.keel.app.config.AccountConfig;
import dev.keel.app.runtime.KeelRuntime;
import dev.keel.core.rebalance.ProgressListener;
import dev.keel.core.time.Sleeper;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The victim of {@code keel bench recovery}: starts a rebalance of every configured account at once, as production
 * wires Keel, against a paper exchange whose configuration makes one symbol's submit hang ({@code slow} fault).
 * When every account's transaction is blocked inside that submit (its intent durable, law 1) it prints
 * {@code in-flight N} and waits to be killed.
 */
@Command(name = "in-flight", hidden = true,
        description = "Start a rebalance of every account and print 'in-flight N' once all hang in a slow submit.")
final class InFlightCommand implements Callable<Integer> {
    /** A sleep this long or longer is the configured slow fault, not latency or a retry backoff. */
    static final Duration HANG = Duration.ofMinutes(30);

    @Option(names = "--config", paramLabel = "FILE", required = true, description = "Configuration with the fault.")
    Path config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        KeelConfig keel = ConfigLoader.load(config);
        int n = keel.accounts().size();
        CountDownLatch hanging = new CountDownLatch(n);
        Sleeper system = Sleeper.system();
        Sleeper sleeper = d -> {
            if (d.compareTo(HANG) >= 0) {
                hanging.countDown(); // the submit's intent is journaled; the exchange holds the request
            }
            system.sleep(d);
        };
        KeelRuntime runtime = KeelRuntime.open(keel, Clock.systemUTC(), sleeper, System.err, 42);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        for (AccountConfig account : keel.accounts()) {
            pool.submit(() -> runtime.engine().rebalance(account.id(), null, ProgressListener.NONE));
        }
        if (!hanging.await(15, TimeUnit.MINUTES)) {
            out.println("timed out: " + hanging.getCount() + " of " + n + " rebalances never reached the hang");
            out.flush();
            return 1;
        }
        out.println("in-flight " + n);
        out.flush();
        new CountDownLatch(1).await(); // until SIGKILL: nothing is closed, flushed or finished
        return 0;
    }
}
