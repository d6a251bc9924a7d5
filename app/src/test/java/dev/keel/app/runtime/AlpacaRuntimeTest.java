package dev.keel.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.keel.app.config.ConfigLoader;
import dev.keel.app.config.KeelConfig;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.rebalance.ProgressListener;
import dev.keel.core.rebalance.RebalanceOutcome;
import dev.keel.core.time.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Keel assembled with {@code broker.kind: alpaca}, against a real local HTTP server answering in Alpaca's shape: the
 * keys come from the environment, a rebalance reaches the server, and when the server answers with the keys in an
 * unreadable body, they appear in no journal file, no log line and no error text, while the raw answer is journaled.
 */
class AlpacaRuntimeTest {
    private static final String KEY_ID = "PKRUNTIMEKEY42";
    private static final String SECRET = "runtime-SECRET-9f8e7d6c5b4a";
    private static final Map<String, String> ENV = Map.of("APCA_API_KEY_ID", KEY_ID, "APCA_API_SECRET_KEY", SECRET);

    @TempDir
    Path dir;
    private HttpServer server;
    private final ManualClock clock = new ManualClock(Instant.parse("2024-04-15T15:00:00Z"));
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private Level rootLevel;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
        logs.start();
        root.addAppender(logs);
        rootLevel = root.getLevel();
        root.setLevel(Level.DEBUG);
    }

    @AfterEach
    void stop() {
        root.setLevel(rootLevel);
        root.detachAppender(logs);
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        boolean authorised = KEY_ID.equals(exchange.getRequestHeaders().getFirst("APCA-API-KEY-ID"))
                && SECRET.equals(exchange.getRequestHeaders().getFirst("APCA-API-SECRET-KEY"));
        int status = 200;
        String body;
        if (!authorised) {
            status = 401;
            body = "{\"code\":40110000,\"message\":\"request is not authorized\"}";
        } else if (path.equals("/v2/account")) {
            body = "{\"id\":\"1d9eed04-be39-4e01-9b84-a48ac5bbafcf\",\"status\":\"ACTIVE\",\"cash\":\"10000\","
                    + "\"buying_power\":\"10000\",\"equity\":\"10000\",\"trading_blocked\":false}";
        } else if (path.equals("/v2/positions")) {
            body = "[]";
        } else if (path.equals("/v2/clock")) {
            body = "{\"timestamp\":\"2024-04-15T11:00:00-04:00\",\"is_open\":true,"
                    + "\"next_open\":\"2024-04-16T09:30:00-04:00\",\"next_close\":\"2024-04-15T16:00:00-04:00\"}";
        } else if (path.startsWith("/v2/stocks/") && path.endsWith("/quotes/latest")) {
            String symbol = path.split("/")[3];
            body = "{\"symbol\":\"" + symbol + "\",\"quote\":{\"t\":\"" + clock.instant() + "\",\"bp\":99.99,"
                    + "\"ap\":100.01,\"bs\":1,\"as\":1}}";
        } else if (path.equals("/v2/orders") && exchange.getRequestMethod().equals("GET")) {
            body = "[]";
        } else if (path.equals("/v2/orders")) {
            // A proxy's page that repeats the request's headers: Keel must keep it raw, without the keys.
            status = 502;
            body = "<html>502 Bad Gateway; request had APCA-API-KEY-ID: " + KEY_ID + " APCA-API-SECRET-KEY: "
                    + SECRET + "</html>";
        } else if (path.equals("/v2/orders:by_client_order_id")) {
            status = 404;
            body = "{\"code\":40410000,\"message\":\"order not found\"}";
        } else {
            status = 404;
            body = "{\"code\":40410000,\"message\":\"not found\"}";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private KeelConfig config() {
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        return ConfigLoader.parse("""
                journal: sqlite:%s
                broker:
                  kind: alpaca
                  alpaca: { endpoint: %s, data-url: %s, timeout: 5s }
                accounts:
                  - id: main
                    targets: { VTI: 0.6, TLT: 0.4 }
                """.formatted(dir.resolve("data/keel.db"), url, url), Path.of("keel.yaml"), dir);
    }

    @Test
    void aRebalanceReachesAlpacaAndNoSecretLeaksWhileTheRawAnswerIsJournaled() throws IOException {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        RebalanceOutcome outcome;
        try (KeelRuntime runtime = KeelRuntime.open(config(), clock, clock, new PrintStream(console, true,
                StandardCharsets.UTF_8), 7L, ENV)) {
            assertThat(runtime.gateway("main").broker().name()).isEqualTo("alpaca");
            assertThat(runtime.resilience().rateLimiter("main").policy().calls()).isEqualTo(200);
            outcome = runtime.engine().rebalance("main", null, ProgressListener.NONE);
        }

        assertThat(outcome.results()).as("orders were sent to the server").isNotEmpty();
        String journal = filesUnder(dir.resolve("data"));
        assertThat(journal).as("the raw answer reached the journal").contains("502 Bad Gateway");
        assertThat(journal).contains("[redacted]").doesNotContain(SECRET).doesNotContain(KEY_ID);
        String logged = String.join("\n", logs.list.stream().map(e -> e.getFormattedMessage()
                + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getMessage())).toList());
        assertThat(logged).doesNotContain(SECRET).doesNotContain(KEY_ID);
        assertThat(console.toString(StandardCharsets.UTF_8)).doesNotContain(SECRET).doesNotContain(KEY_ID);
        assertThat(String.valueOf(outcome.errorMessage()) + outcome.notes() + outcome.results())
                .doesNotContain(SECRET).doesNotContain(KEY_ID);
    }

    @Test
    void withoutKeysAlpacaRefusesToStartNamingWhereTheyGo() {
        assertThatThrownBy(() -> KeelRuntime.open(config(), clock, clock, System.out, 7L, Map.of()))
                .isInstanceOfSatisfying(KeelException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
                    assertThat(e.getMessage()).contains("keel.yaml: broker.kind: alpaca needs its keys",
                            "APCA_API_KEY_ID", "APCA_API_SECRET_KEY", "broker.alpaca.key-file");
                });
    }

    @Test
    void keysAreReadFromAKeyFileOutsideTheRepository() throws IOException {
        Path keys = Files.writeString(dir.resolve("alpaca.keys"), "# paper keys\nAPCA_API_KEY_ID=" + KEY_ID
                + "\nAPCA_API_SECRET_KEY=" + SECRET + "\n");
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        KeelConfig config = ConfigLoader.parse("""
                journal: sqlite:%s
                broker: { kind: alpaca, alpaca: { endpoint: %s, data-url: %s, key-file: %s } }
                accounts:
                  - id: main
                    targets: { VTI: 0.6, TLT: 0.4 }
                """.formatted(dir.resolve("data/keel.db"), url, url, keys), Path.of("keel.yaml"), dir);

        try (KeelRuntime runtime = KeelRuntime.open(config, clock, clock, System.out, 7L, Map.of())) {
            assertThat(runtime.alpaca().clock().open()).isTrue();
        }
    }

    private static String filesUnder(Path folder) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                all.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        return all.toString();
    }

}
