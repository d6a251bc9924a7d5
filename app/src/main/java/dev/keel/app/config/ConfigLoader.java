package dev.keel.app.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.keel.core.execution.RateLimitPolicy;
import dev.keel.core.execution.ResiliencePolicies;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads and validates a Keel YAML configuration. Every problem in the file is reported, each naming the file, the
 * line, the field path and what was expected, in one {@link ConfigException}.
 *
 * <p>Relative paths in the file (the {@code sqlite:} journal, {@code broker.paper.state}, a file channel's
 * {@code path}) are resolved against the working directory: the process's current directory for
 * {@link #load(Path)}, so {@code keel-data/keel.db} lands next to where {@code keel} was started.
 */
public final class ConfigLoader {
    private static final String SQLITE = "sqlite:";
    private static final String POSTGRESQL = "postgresql://";

    private ConfigLoader() {
    }

    /** Loads {@code file}, resolving relative paths against the current working directory. */
    public static KeelConfig load(Path file) {
        return load(file, Path.of("").toAbsolutePath());
    }

    /** Loads {@code file}, resolving relative paths against {@code workingDir}. */
    public static KeelConfig load(Path file, Path workingDir) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw unreadable(file, "no such file");
        } catch (AccessDeniedException e) {
            throw unreadable(file, "permission denied");
        } catch (IOException e) {
            throw unreadable(file, e.getMessage());
        }
        return parse(text, file, workingDir);
    }

    /**
     * Validates YAML text.
     *
     * @param yaml       the document
     * @param source     the name problems are reported under, and {@link KeelConfig#source()}
     * @param workingDir what relative paths are resolved against
     */
    public static KeelConfig parse(String yaml, Path source, Path workingDir) {
        Problems problems = new Problems(source);
        YamlNode root;
        try {
            root = YamlNode.parse(yaml);
        } catch (JsonProcessingException e) {
            JsonLocation where = e.getLocation();
            String reason = e.getOriginalMessage() == null ? "unreadable" : e.getOriginalMessage().lines()
                    .findFirst().orElse("unreadable").strip();
            problems.add(where == null ? 0 : Math.max(where.getLineNr(), 0), "", "not valid YAML: " + reason);
            throw problems.exception();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (root == null) {
            problems.add(0, "", "the file is empty; it needs at least an 'accounts' list");
            throw problems.exception();
        }
        Section top = new Field(problems, "", root, 1).section();
        Path base = workingDir.toAbsolutePath();
        String journal = journal(top.field("journal"), base);
        BrokerConfig broker = BrokerReader.broker(top.field("broker"), base);
        List<AccountConfig> accounts = AccountsReader.accounts(top.field("accounts"));
        RetrySettings retry = SettingsReader.retry(top.field("retry"));
        BreakerSettings breaker = SettingsReader.breaker(top.field("circuit-breaker"));
        ResiliencePolicies resilience = ResilienceReader.resilience(top.field("resilience"),
                (breaker == null ? BreakerSettings.DEFAULTS : breaker).policy(),
                (retry == null ? RetrySettings.DEFAULTS : retry).policy(),
                // Alpaca publishes 200 requests a minute per key, and each account has its own key: a budget per account.
                broker != null && broker.kind() == BrokerConfig.Kind.ALPACA ? RateLimitPolicy.ALPACA : null);
        RiskSettings risk = SettingsReader.risk(top.field("risk"));
        ChannelReader.Read notifications = ChannelReader.read(top.field("notifications"), base);
        MarketDataSettings marketData = MarketDataReader.marketData(top.field("market-data"));
        OperationSettings operations = SettingsReader.operations(top.field("operations"));
        ServeSettings serve = Schedules.serve(top.field("serve"), base);
        EventsSettings events = SettingsReader.events(top.field("events"));
        top.finish();
        problems.throwIfAny();
        return new KeelConfig(source, journal, broker, accounts, retry, breaker, risk, notifications.channels(),
                resilience, marketData, operations, notifications.settings(), serve, events);
    }

    /** The built-in demo configuration, its files in {@code dataDir}. */
    static KeelConfig demo(Path dataDir, String resource) {
        return demo(dataDir, resource, java.util.Map.of());
    }

    /** As above, each {@code ${name}} in the file replaced by its value first (a URL known only at run time). */
    static KeelConfig demo(Path dataDir, String resource, java.util.Map<String, String> values) {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the classpath");
            }
            String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (java.util.Map.Entry<String, String> v : values.entrySet()) {
                yaml = yaml.replace("${" + v.getKey() + "}", v.getValue());
            }
            return parse(yaml, Path.of(resource), dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code sqlite:PATH} (resolved to absolute) or {@code postgresql://...} without a password in it. */
    private static String journal(Field field, Path base) {
        String url = field.text(KeelConfig.DEFAULT_JOURNAL);
        if (url == null) {
            return null;
        }
        if (url.startsWith(SQLITE)) {
            String file = url.substring(SQLITE.length());
            if (file.isBlank()) {
                field.problem("expected 'sqlite:PATH', but the path is empty");
                return null;
            }
            return SQLITE + base.resolve(file).normalize();
        }
        if (url.startsWith(POSTGRESQL)) {
            return postgresql(field, url);
        }
        field.problem("expected 'sqlite:PATH' or 'postgresql://HOST:PORT/DATABASE?user=NAME', but was '" + url + "'");
        return null;
    }

    private static String postgresql(Field field, String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            field.problem("expected 'postgresql://HOST:PORT/DATABASE?user=NAME', but was '" + url + "' ("
                    + e.getReason() + ")");
            return null;
        }
        String query = uri.getRawQuery() == null ? "" : "&" + uri.getRawQuery();
        if ((uri.getRawUserInfo() != null && uri.getRawUserInfo().contains(":")) || query.contains("&password=")) {
            field.problem("holds a literal password; secrets do not belong in a config file: set PGPASSWORD in the"
                    + " environment or use ~/.pgpass");
            return null;
        }
        if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() <= 1) {
            field.problem("expected 'postgresql://HOST:PORT/DATABASE?user=NAME', but was '" + url
                    + "' (host or database missing)");
            return null;
        }
        return url;
    }

    private static ConfigException unreadable(Path file, String why) {
        return new ConfigException(file, List.of(new ConfigProblem(file, 0, "", "cannot be read: " + why)));
    }
}
