package dev.keel.app;

import dev.keel.app.config.KeelConfig;
import dev.keel.app.runtime.PaperSetup;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.time.Sleeper;
import dev.keel.paper.PaperExchange;
import dev.keel.paper.server.KeyRing;
import dev.keel.paper.server.PaperServer;
import dev.keel.paper.server.ServerSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keel paper serve}: the paper exchange as a server in Alpaca's shape. */
@Command(name = "paper", description = "The paper exchange.", subcommands = {PaperCommand.Serve.class})
final class PaperCommand extends CommandGroup {
    /** The environment variable holding the secret every client key must send. */
    static final String SECRET_ENV = "KEEL_PAPER_SECRET";

    /** What {@code keel paper serve --json} prints once it listens. */
    record Serving(String url, String streamUrl, String bind, int port, String stateFile, String keys) {
    }

    /** {@code keel paper serve}: serves {@code broker.paper} over HTTP until SIGTERM or Ctrl-C. */
    @Command(name = "serve", description = {"Serve the paper exchange of broker.paper over HTTP in the shape of"
            + " Alpaca's Trading API v2, its market data API and its trade_updates stream, until SIGTERM or Ctrl-C.",
            "Clients send APCA-API-KEY-ID (the paper account id) and APCA-API-SECRET-KEY (the secret in $"
                    + SECRET_ENV + " or --secret-file)."})
    static final class Serve extends ConfiguredCommand {
        @Option(names = "--port", paramLabel = "PORT", defaultValue = "8089",
                description = "The port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
        int port;

        @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = ServerSettings.DEFAULT_HOST,
                description = "The address to listen on (default: ${DEFAULT-VALUE}, this machine only).")
        String bind;

        @Option(names = "--secret-file", paramLabel = "FILE",
                description = "A file whose first line is the API secret (default: $" + SECRET_ENV + ").")
        Path secretFile;

        @Option(names = "--rate-limit", paramLabel = "N", defaultValue = "200",
                description = "Requests a minute per key before 429 (default: ${DEFAULT-VALUE}, Alpaca's).")
        int rateLimit;

        @Override
        public Integer call() {
            KeelConfig config = loadConfig();
            if (config.broker().paper() == null) {
                throw new KeelException(ErrorCode.CONFIG_INVALID, config.source()
                        + ": broker.paper: missing; 'keel paper serve' serves the paper exchange it describes");
            }
            KeyRing keys = KeyRing.sharedSecret(secret());
            ServerSettings settings;
            try {
                settings = ServerSettings.builder(keys).host(bind).port(port)
                        .rateLimit(rateLimit, java.time.Duration.ofMinutes(1)).build();
            } catch (IllegalArgumentException e) {
                throw new KeelException(ErrorCode.USAGE_INVALID, e.getMessage());
            }
            Clock clock = Clock.systemUTC();
            PaperExchange exchange = new PaperExchange(PaperSetup.config(config.broker().paper()), clock,
                    Sleeper.system());
            PaperServer server;
            try {
                server = PaperServer.start(exchange, settings, clock);
            } catch (RuntimeException e) {
                exchange.close();
                throw new KeelException(ErrorCode.USAGE_INVALID, "cannot listen on " + bind + ":" + port + ": "
                        + e.getMessage());
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } finally {
                    exchange.close();
                    stopped.countDown();
                }
            }, "keel-paper-serve-stop"));
            Path state = config.broker().paper().state();
            Serving serving = new Serving(server.url().toString(), server.streamUrl().toString(), bind, server.port(),
                    state == null ? null : state.toString(), "key id = account id, one shared secret");
            Output output = output();
            output.result(serving, s -> {
                output.line("Paper exchange serving at " + s.url() + " (trade_updates at " + s.streamUrl() + ")");
                output.line("State file: " + (s.stateFile() == null ? "none (in memory)" : s.stateFile()));
                output.line("Point an Alpaca client at it: base URL " + s.url() + ", APCA-API-KEY-ID = the account"
                        + " id, APCA-API-SECRET-KEY = the secret. Stop with Ctrl-C or SIGTERM.");
            });
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ExitCodes.OK;
        }

        private String secret() {
            String secret;
            if (secretFile != null) {
                try {
                    secret = Files.readAllLines(secretFile, StandardCharsets.UTF_8).stream().findFirst().orElse("")
                            .strip();
                } catch (IOException e) {
                    throw new KeelException(ErrorCode.USAGE_INVALID, "--secret-file " + secretFile
                            + ": cannot be read (" + e.getClass().getSimpleName() + ")");
                }
                if (secret.isEmpty()) {
                    throw new KeelException(ErrorCode.USAGE_INVALID, "--secret-file " + secretFile
                            + ": its first line is empty; it must hold the API secret");
                }
                return secret;
            }
            secret = System.getenv(SECRET_ENV);
            if (secret == null || secret.isBlank()) {
                throw new KeelException(ErrorCode.USAGE_INVALID, "keel paper serve needs the API secret clients"
                        + " must send: set " + SECRET_ENV + " or pass --secret-file FILE");
            }
            return secret.strip();
        }
    }
}
