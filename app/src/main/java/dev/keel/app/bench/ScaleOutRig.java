package dev.keel.app.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.alpaca.AlpacaKeys;
import dev.keel.app.config.ConfigLoader;
import dev.keel.app.intake.Intake;
import dev.keel.store.Journals;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Keel scaled out on one machine, with real processes: one {@code keel paper serve} (the shared broker in Alpaca's
 * shape, each account its own key pair), a fresh journal (a PostgreSQL database created here and dropped on close,
 * or a SQLite file), an event source (a Redis stream, or the journal's embedded inbox) and as many {@code keel
 * worker} JVMs as asked. Used by {@code keel bench workers} and by the multi-process test, so both run the same
 * setup. Every child's stderr goes to {@code stderr-NAME.txt} in the folder, a worker's stdout to
 * {@code stdout-NAME.txt}.
 */
public final class ScaleOutRig implements AutoCloseable {
    /** The PostgreSQL server the rig creates its databases on (trust auth, the CI setup). */
    public static final String ADMIN = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    /** The Redis server of the {@link Source#REDIS} source. */
    public static final String REDIS = "redis://127.0.0.1:6379";
    static final InetSocketAddress POSTGRES_ADDRESS = new InetSocketAddress("127.0.0.1", 5432);
    static final InetSocketAddress REDIS_ADDRESS = new InetSocketAddress("127.0.0.1", 6379);
    private static final String SECRET = "scale-out-rig-secret-41c7";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where the journal and the events live. */
    public enum Source {
        /** A PostgreSQL journal and a Redis stream: the scale-out setup. */
        REDIS,
        /** A SQLite journal and its embedded inbox: one machine, no servers. */
        INBOX
    }

    /** One message to push: its event id, its account, and its body as a worker reads it. */
    public record Message(String id, String account, String body) {
        /** A rebalance event of {@code account} to {@code targets} (a JSON object), created at {@code createdAt}. */
        public static Message rebalance(String id, String account, String targets, Instant createdAt) {
            return new Message(id, account, "{\"event_id\": \"" + id + "\", \"account_id\": \"" + account
                    + "\", \"type\": \"rebalance\", \"payload\": {\"targets\": " + targets + "}, \"created_at\": \""
                    + createdAt + "\"}");
        }
    }

    private final Path dir;
    private final int accounts;
    private final Source source;
    private final String database;
    private final Process server;
    private final URI url;
    private final Path config;
    private final List<Process> children = new ArrayList<>();

    private ScaleOutRig(Path dir, int accounts, Source source, String database, Process server, URI url,
                        Path config) {
        this.dir = dir;
        this.accounts = accounts;
        this.source = source;
        this.database = database;
        this.server = server;
        this.url = url;
        this.config = config;
    }

    /**
     * Creates the journal (a new PostgreSQL database for {@link Source#REDIS}), starts the paper server and writes
     * the workers' configuration: {@code accounts} accounts {@code a000...}, each holding VTI and TLT at 50/50 with
     * its own key file. Nothing is left running if a step fails.
     *
     * @param dir an empty folder the rig owns: configs, key files, the paper state and the children's output
     */
    public static ScaleOutRig open(Path dir, int accounts, Source source) throws IOException {
        if (accounts < 1 || accounts > 999) {
            throw new IllegalArgumentException("accounts must be between 1 and 999, but was " + accounts);
        }
        Files.createDirectories(dir);
        String database = source == Source.REDIS
                ? "keel_scale_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12) : null;
        if (database != null) {
            admin("CREATE DATABASE " + database);
        }
        Process server = null;
        try {
            Path secret = Files.writeString(dir.resolve("paper.secret"), SECRET + "\n");
            Path serverConfig = Files.writeString(dir.resolve("server.yaml"), """
                    broker:
                      kind: paper
                      paper:
                        state: %1$s/paper.db
                        seed: 42
                        cash: 10000.00
                        positions: { VTI: 20, TLT: 20 }
                        prices: { VTI: 250.00, TLT: 90.00, IEF: 95.00 }
                    accounts:
                      - id: any
                        targets: { VTI: 1.0 }
                    """.formatted(dir));
            server = child(dir, "paper", List.of("paper", "serve", "--config", serverConfig.toString(), "--port",
                    "0", "--json", "--secret-file", secret.toString()), true);
            String serving = document(new BufferedReader(new InputStreamReader(server.getInputStream(),
                    StandardCharsets.UTF_8)));
            if (serving == null) {
                throw new IllegalStateException("keel paper serve printed no URL; see "
                        + dir.resolve("stderr-paper.txt"));
            }
            URI url = URI.create(JSON.readTree(serving).get("url").asText());
            Path config = workerConfig(dir, accounts, source, database, url);
            // the schema made once here: workers opening a new SQLite journal at one instant race on its migrations
            Journals.open(journalUrl(dir, database), Clock.systemUTC()).close();
            return new ScaleOutRig(dir, accounts, source, database, server, url, config);
        } catch (IOException | RuntimeException e) {
            if (server != null) {
                server.destroyForcibly();
            }
            if (database != null) {
                dropQuietly(database);
            }
            throw e;
        }
    }

    /** Whether PostgreSQL and Redis answer on their local ports; the missing ones, empty when both do. */
    public static List<String> missingServices() {
        List<String> missing = new ArrayList<>();
        for (InetSocketAddress a : List.of(POSTGRES_ADDRESS, REDIS_ADDRESS)) {
            try (Socket socket = new Socket()) {
                socket.connect(a, 2000);
            } catch (IOException e) {
                missing.add((a.getPort() == 5432 ? "PostgreSQL " : "Redis ") + a.getHostString() + ":" + a.getPort());
            }
        }
        return missing;
    }

    /** Account {@code i}'s id: {@code a000}, {@code a001}... */
    public static String account(int i) {
        return String.format("a%03d", i);
    }

    /**
     * {@code events} rebalance events {@code ev-0...}: the first one per account in turn, then accounts drawn with a
     * seeded random, targets alternating at random between 70/30 and 30/70, so every event trades.
     */
    public static List<Message> rebalances(int events, int accounts, long seed, Instant createdAt) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Message> messages = new ArrayList<>(events);
        for (int i = 0; i < events; i++) {
            String account = account(i < accounts ? i : random.nextInt(accounts));
            String targets = random.nextBoolean() ? "{\"VTI\": 0.7, \"TLT\": 0.3}" : "{\"VTI\": 0.3, \"TLT\": 0.7}";
            messages.add(Message.rebalance("ev-" + i, account, targets, createdAt));
        }
        return messages;
    }

    /** Pushes the messages, in order, through the configured source. */
    public void push(List<Message> messages) throws IOException {
        try (Intake.Opened opened = Intake.open(ConfigLoader.load(config), Clock.systemUTC(), "pusher")) {
            for (Message m : messages) {
                opened.source().push(m.id(), m.account(), m.body());
            }
        }
    }

    /** Starts {@code keel worker} named {@code name} on the rig's configuration. */
    public Process worker(String name) throws IOException {
        return start(name, "worker", "--config", config.toString(), "--name", name);
    }

    /** Starts a child keel JVM with {@code args}; its stdout goes to {@code stdout-NAME.txt}. */
    public Process start(String name, String... args) throws IOException {
        Process p = child(dir, name, List.of(args), false);
        children.add(p);
        return p;
    }

    /** Whether worker {@code name} has said it takes events (its recovery done). */
    public boolean ready(String name) {
        try {
            Path out = dir.resolve("stdout-" + name + ".txt");
            return Files.exists(out) && Files.readString(out).contains("; taking events from ");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new connection to the journal's database. */
    public Connection journalConnection() throws SQLException {
        return DriverManager.getConnection(database != null
                ? "jdbc:postgresql://127.0.0.1:5432/" + database + "?user=postgres"
                : "jdbc:sqlite:" + dir.resolve("keel.db"));
    }

    /** Transactions ended in the journal; 0 while its schema does not exist yet. */
    public long endedTransactions() {
        try (Connection c = journalConnection(); var rs = c.createStatement().executeQuery(
                "SELECT count(*) FROM streams WHERE kind = 'transaction' AND closed = 1")) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            return 0; // the schema may not exist yet while the first worker starts
        }
    }

    /** The journal's URL, as a Keel config names it. */
    public String journalUrl() {
        return journalUrl(dir, database);
    }

    private static String journalUrl(Path dir, String database) {
        return database != null ? "postgresql://127.0.0.1:5432/" + database + "?user=postgres"
                : "sqlite:" + dir.resolve("keel.db");
    }

    /** The PostgreSQL database's name; null on SQLite. */
    public String database() {
        return database;
    }

    public Source source() {
        return source;
    }

    public int accounts() {
        return accounts;
    }

    public URI url() {
        return url;
    }

    public Path config() {
        return config;
    }

    public Path dir() {
        return dir;
    }

    /** The key pair of {@code account} at the paper server. */
    public AlpacaKeys keys(String account) {
        return new AlpacaKeys(account, SECRET);
    }

    /** The CPU time {@code process} has used so far, in seconds; 0 when the OS does not say. */
    public static double cpuSeconds(Process process) {
        return process.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
    }

    /** The paper server's process, to read its CPU time. */
    public Process server() {
        return server;
    }

    /** Stops every child (workers SIGKILLed, the server SIGTERMed), then drops the PostgreSQL database. */
    @Override
    public void close() throws InterruptedException {
        for (Process p : children) {
            p.destroyForcibly();
        }
        for (Process p : children) {
            p.waitFor(30, TimeUnit.SECONDS);
        }
        server.destroy();
        if (!server.waitFor(60, TimeUnit.SECONDS)) {
            server.destroyForcibly();
        }
        if (database != null) {
            dropQuietly(database);
            deleteStreamQuietly("keel:scale:" + database);
        }
    }

    /** Deletes the run's stream and the keys beside it ({@code STREAM:ids}, {@code STREAM:dlq}...). */
    private static void deleteStreamQuietly(String stream) {
        RedisClient client = RedisClient.create(REDIS);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            List<String> keys = new ArrayList<>(c.sync().keys(stream + ":*"));
            keys.add(stream);
            c.sync().del(keys.toArray(String[]::new));
        } catch (RuntimeException e) {
            System.err.println("could not delete the scratch stream " + stream + ": " + e.getMessage());
        } finally {
            client.shutdown();
        }
    }

    private static Path workerConfig(Path dir, int accounts, Source source, String database, URI url)
            throws IOException {
        StringBuilder keys = new StringBuilder();
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < accounts; i++) {
            String id = account(i);
            Path file = Files.writeString(dir.resolve(id + ".keys"), AlpacaKeys.KEY_ID_VARIABLE + "=" + id + "\n"
                    + AlpacaKeys.SECRET_VARIABLE + "=" + SECRET + "\n");
            keys.append(i == 0 ? "" : ", ").append(id).append(": ").append(file);
            list.append("  - { id: ").append(id).append(", targets: { VTI: 0.5, TLT: 0.5 } }\n");
        }
        String journal = journalUrl(dir, database);
        String events = source == Source.REDIS
                ? "{ kind: redis, url: \"" + REDIS + "\", stream: \"keel:scale:" + database + "\", group: keel,"
                : "{ kind: embedded,";
        return Files.writeString(dir.resolve("worker.yaml"), """
                journal: %1$s
                broker:
                  kind: alpaca
                  alpaca: { endpoint: "%2$s", data-url: "%2$s", timeout: 60s, key-files: { %3$s } }
                accounts:
                %4$snotifications: [ { kind: file, path: %5$s/notifications.log } ]
                events: %6$s
                          visibility-timeout: 20s, backoff: 200ms, max-backoff: 2s, max-deliveries: 50 }
                """.formatted(journal, url, keys, list, dir, events));
    }

    /** A child keel JVM with this JVM's java and class path; stdout piped or to {@code stdout-NAME.txt}. */
    private static Process child(Path dir, String name, List<String> args, boolean pipe) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), "dev.keel.app.Main"));
        command.addAll(args);
        return new ProcessBuilder(command).directory(dir.toFile())
                .redirectError(dir.resolve("stderr-" + name + ".txt").toFile())
                .redirectOutput(pipe ? ProcessBuilder.Redirect.PIPE
                        : ProcessBuilder.Redirect.to(dir.resolve("stdout-" + name + ".txt").toFile())).start();
    }

    /** The first JSON document a child printed (pretty-printed, up to its closing brace); null at end of stream. */
    static String document(BufferedReader out) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            text.append(line).append('\n');
            if (line.equals("}")) {
                return text.toString();
            }
        }
        return null;
    }

    private static void admin(String sql) throws IOException {
        try (Connection admin = DriverManager.getConnection(ADMIN)) {
            admin.createStatement().execute(sql);
        } catch (SQLException e) {
            throw new IOException("PostgreSQL at " + ADMIN + " refused '" + sql + "': " + e.getMessage(), e);
        }
    }

    private static void dropQuietly(String database) {
        try {
            admin("DROP DATABASE IF EXISTS " + Objects.requireNonNull(database) + " WITH (FORCE)");
        } catch (IOException e) {
            System.err.println("could not drop the scratch database " + database + ": " + e.getMessage());
        }
    }
}
