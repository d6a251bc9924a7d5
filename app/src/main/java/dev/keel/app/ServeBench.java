package dev.keel.app;

import dev.keel.app.config.ConfigLoader;
import dev.keel.app.config.KeelConfig;
import dev.keel.app.runtime.KeelRuntime;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/** {@code keel serve}'s API and dashboard on a journal in {@code dir}, for {@code keel bench api}. */
public final class ServeBench {
    private ServeBench() {
    }

    /** A serving API; close it. */
    public interface Server extends AutoCloseable {
        int port();

        @Override
        void close();
    }

    /**
     * Serves the SQLite journal {@code dir/keel.db} with {@code accounts} paper accounts {@code a0, a1...}, on an
     * ephemeral 127.0.0.1 port, ready at once (nothing is in flight in a bench journal).
     */
    public static Server start(Path dir, int accounts, String token) {
        StringBuilder yaml = new StringBuilder("journal: sqlite:" + dir.resolve("keel.db") + "\n"
                + "broker: { kind: paper, paper: { state: " + dir.resolve("paper.db") + ", seed: 42, cash: 10000, "
                + "prices: { VTI: 250.00, TLT: 90.00 } } }\naccounts:\n");
        for (int i = 0; i < accounts; i++) {
            yaml.append("  - { id: a").append(i).append(", targets: { VTI: 0.5, TLT: 0.5 } }\n");
        }
        yaml.append("notifications: [ { kind: file, path: ").append(dir.resolve("notifications.log"))
                .append(" } ]\nserve: { port: 0 }\n");
        try {
            Path file = dir.resolve("keel.yaml");
            Files.writeString(file, yaml);
            KeelConfig cfg = ConfigLoader.load(file);
            PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            KeelRuntime runtime = KeelRuntime.open(cfg, new PrintStream(PrintStream.nullOutputStream()), prometheus);
            KeelApi api = KeelApi.start(runtime, prometheus, cfg.serve(), token, () -> true, Clock.systemUTC());
            return new Server() {
                @Override
                public int port() {
                    return api.port();
                }

                @Override
                public void close() {
                    api.close();
                    runtime.close();
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
