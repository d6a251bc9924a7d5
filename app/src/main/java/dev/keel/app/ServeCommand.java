package dev.keel.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.keel.app.config.KeelConfig;
import dev.keel.app.config.ServeSettings;
import dev.keel.app.runtime.KeelRuntime;
import dev.keel.core.engine.RecoveryReport;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code keel serve}: Keel as one long-running process. It recovers everything in flight first (as {@code keel
 * recover}) and reports ready only then; it runs the accounts' schedules, the protection watch, reconciliation and
 * the outbox's retries ({@link ServeScheduler}); it answers the REST API, health checks and Prometheus metrics
 * ({@link KeelApi}). SIGTERM (or Ctrl-C) stops it taking work, lets the current step finish within a bound or leaves
 * it for recovery, and exits 0.
 */
@Command(name = "serve", description = "Run Keel as a service: recovery first, then the accounts' schedules, the "
        + "protection watch, reconciliation, the REST API, /health and /metrics. Stop with SIGTERM or Ctrl-C.")
final class ServeCommand extends ConfiguredCommand {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);
    /** How long a stop waits for the step in progress before leaving it to recovery: 30 s. */
    static final Duration STOP_BOUND = Duration.ofSeconds(30);
    /** The environment variable that holds the API's bearer token. */
    static final String TOKEN_ENV = "KEEL_API_TOKEN";

    @Option(names = "--port", paramLabel = "PORT", description = "Listen on this port (default: serve.port, 8090; "
            + "0 picks a free one).")
    Integer port;

    @Option(names = "--bind", paramLabel = "ADDRESS", description = "Listen on this address (default: serve.bind, "
            + "127.0.0.1).")
    String bind;

    @Option(names = "--demo", description = "Serve the demo's configuration (the All-Weather account on the built-in "
            + "paper exchange), its files in keel-data/serve-demo/, instead of --config.")
    boolean demo;

    /** What the process says once it is serving. */
    record Serving(@JsonProperty("url") String url, @JsonProperty("token") String token,
                   @JsonProperty("accounts") List<String> accounts,
                   @JsonProperty("recovered") int recovered,
                   @JsonProperty("next_runs") Map<String, Instant> nextRuns) {
    }

    @Override
    public Integer call() {
        KeelConfig cfg = demo ? KeelConfig.demo(Path.of("keel-data", "serve-demo")) : loadConfig();
        ServeSettings settings = cfg.serve();
        if (port != null && (port < 0 || port > 65535)) {
            throw new ParameterException(spec.commandLine(), "--port: expected 0 to 65535, but was " + port);
        }
        settings = settings.listening(bind == null ? settings.bind() : bind, port == null ? settings.port() : port);
        Token token = token(cfg, settings);
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(prometheus);
        new JvmGcMetrics().bindTo(prometheus);
        new JvmThreadMetrics().bindTo(prometheus);
        new ProcessorMetrics().bindTo(prometheus);
        new UptimeMetrics().bindTo(prometheus);
        Output output = output();
        Clock clock = Clock.systemUTC();
        CountDownLatch stop = new CountDownLatch(1);
        onStopSignal(stop::countDown);
        try (KeelRuntime runtime = KeelRuntime.open(cfg, json.enabled() ? System.err : System.out, prometheus)) {
            AtomicBoolean ready = new AtomicBoolean();
            KeelApi api;
            try {
                api = KeelApi.start(runtime, prometheus, settings, token.value(), ready::get, clock);
            } catch (RuntimeException e) {
                throw new KeelException(ErrorCode.USAGE_INVALID, "cannot listen on " + settings.bind() + ":"
                        + settings.port() + ": " + e.getMessage());
            }
            try (api) {
                String url = "http://" + settings.bind() + ":" + api.port();
                output.error("Keel is starting at " + url + ": recovering what was in flight...");
                RecoveryReport recovered = runtime.engine().recover();
                ServeScheduler scheduler = new ServeScheduler(runtime, settings, clock);
                scheduler.start().forEach(r -> LOG.info("serve: {} of {}: {}", r.job(), r.account(), r.result()));
                ready.set(true);
                ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "keel-serve-scheduler");
                    t.setDaemon(true);
                    return t;
                });
                ticker.scheduleWithFixedDelay(() -> {
                    try {
                        scheduler.tick().forEach(r -> LOG.info("serve: {} of {}: {}", r.job(), r.account(),
                                r.result()));
                    } catch (RuntimeException e) {
                        LOG.error("serve: a scheduled job failed; the next tick goes on", e);
                    }
                }, 1, 1, TimeUnit.SECONDS);
                Serving serving = new Serving(url, token.where(), runtime.engine().accountIds(),
                        recovered.transactions().size(), scheduler.upcoming());
                output.result(serving, s -> {
                    output.line("Keel is serving at " + s.url() + "  (REST API under /api, /health/ready, "
                            + "/metrics)");
                    output.line("API token: " + s.token());
                    output.line("Accounts: " + String.join(", ", s.accounts()) + "; " + s.recovered()
                            + " transaction(s) recovered at start");
                    s.nextRuns().forEach((a, at) -> output.line("Next scheduled rebalance of " + a + ": " + at));
                    output.line("Stop with Ctrl-C or SIGTERM.");
                });
                await(stop);
                output.error("Keel is stopping: no new work; the step in progress gets up to "
                        + STOP_BOUND.toSeconds() + " s, else recovery resumes it at the next start.");
                scheduler.stop();
                ticker.shutdown();
                if (!awaitTermination(ticker)) {
                    LOG.warn("serve: the scheduled step did not finish within {}; the journal holds it for recovery",
                            STOP_BOUND);
                }
            }
        }
        return ExitCodes.OK;
    }

    private static boolean awaitTermination(ScheduledExecutorService ticker) {
        try {
            return ticker.awaitTermination(STOP_BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void await(CountDownLatch stop) {
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * SIGTERM and SIGINT end the wait for an orderly stop that exits 0, where the JVM's default would exit 143 from
     * inside its shutdown hooks. Where the JVM offers no signal handling, a shutdown hook stops the process instead.
     */
    private static void onStopSignal(Runnable stop) {
        try {
            // sun.misc.Signal (module jdk.unsupported) through reflection: javac warns of it at compile time
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            Object onSignal = java.lang.reflect.Proxy.newProxyInstance(handler.getClassLoader(),
                    new Class<?>[] {handler}, (proxy, method, args) -> {
                        if (method.getName().equals("handle")) {
                            stop.run();
                            return null;
                        }
                        return switch (method.getName()) {
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "equals" -> proxy == args[0];
                            default -> "keel-serve-stop";
                        };
                    });
            for (String name : List.of("TERM", "INT")) {
                signal.getMethod("handle", signal, handler).invoke(null,
                        signal.getConstructor(String.class).newInstance(name), onSignal);
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.debug("no signal handling in this JVM ({}); a shutdown hook stops serve", e.toString());
            Runtime.getRuntime().addShutdownHook(new Thread(stop, "keel-serve-stop"));
        }
    }

    /** The API's token and where the operator finds it (never the token itself). */
    record Token(String value, String where) {
    }

    /**
     * The environment's {@value #TOKEN_ENV}, else {@code serve.token-file}, else a token made now and written (owner
     * read/write only) beside the journal, so that {@code ./keel serve} works out of the box.
     */
    static Token token(KeelConfig cfg, ServeSettings settings) {
        String env = System.getenv(TOKEN_ENV);
        if (env != null && !env.isBlank()) {
            return new Token(env.strip(), "from the environment variable " + TOKEN_ENV);
        }
        if (settings.tokenFile() != null) {
            Path file = settings.tokenFile();
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (text.length() < 16) {
                    throw new KeelException(ErrorCode.CONFIG_INVALID, cfg.source() + ": serve.token-file: " + file
                            + " must hold a token of at least 16 characters");
                }
                return new Token(text, "in " + file);
            } catch (IOException e) {
                throw new KeelException(ErrorCode.CONFIG_INVALID, cfg.source() + ": serve.token-file: " + file
                        + " cannot be read: " + e.getClass().getSimpleName());
            }
        }
        Path dir = cfg.journalUrl().startsWith("sqlite:")
                ? Path.of(cfg.journalUrl().substring("sqlite:".length())).toAbsolutePath().getParent()
                : Path.of("keel-data").toAbsolutePath();
        Path file = dir.resolve("api-token");
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, value + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("the API token could not be written to " + file, e);
        } catch (UnsupportedOperationException e) {
            throw new KeelException(ErrorCode.CONFIG_INVALID, "this file system cannot keep " + file + " private; "
                    + "set " + TOKEN_ENV + " or serve.token-file");
        }
        return new Token(value, "in " + file + " (made at this start; set " + TOKEN_ENV + " or serve.token-file to "
                + "choose one)");
    }

    @Override
    boolean notifyAtOnce() {
        return true;
    }
}
