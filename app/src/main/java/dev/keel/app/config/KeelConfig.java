package dev.keel.app.config;

import dev.keel.core.execution.ResiliencePolicies;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A whole Keel configuration, as loaded from a YAML file by {@link ConfigLoader}. Relative paths in the file (the
 * SQLite journal, the paper state, a file channel) are already resolved to absolute ones against the working
 * directory the loader was given (the process's current directory for {@link ConfigLoader#load(Path)}).
 *
 * @param source         the file it came from, as the user named it
 * @param journalUrl     {@code sqlite:/absolute/path.db} or {@code postgresql://host:port/db?user=...}
 * @param broker         which broker and its settings
 * @param accounts       at least one account, ids unique
 * @param retry          retry policy for broker calls that are safe to repeat
 * @param circuitBreaker circuit breaker around broker calls
 * @param risk           limits a plan must keep before anything is sent
 * @param notifications  at least one channel; default: the console
 * @param resilience     the broker's resilience policies: {@code circuit-breaker} and {@code retry} refined by the
 *                       {@code resilience} section, per endpoint, with the retry budget, rate limit and bulkhead
 * @param marketData     price sources and their checks; default {@link MarketDataSettings#DEFAULTS}
 * @param operations     how order operations behave; default {@link OperationSettings#DEFAULTS}
 * @param alerting       routing, escalation and links of notifications; default {@link NotifySettings#DEFAULTS}
 * @param serve          how {@code keel serve} listens and schedules; default {@link ServeSettings#DEFAULTS}
 */
public record KeelConfig(Path source, String journalUrl, BrokerConfig broker, List<AccountConfig> accounts,
                         RetrySettings retry, BreakerSettings circuitBreaker, RiskSettings risk,
                         List<ChannelConfig> notifications, ResiliencePolicies resilience,
                         MarketDataSettings marketData, OperationSettings operations, NotifySettings alerting,
                         ServeSettings serve) {
    /** The journal when the file names none: {@value}, relative to the working directory. */
    public static final String DEFAULT_JOURNAL = "sqlite:keel-data/keel.db";

    public KeelConfig {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(journalUrl, "journalUrl");
        Objects.requireNonNull(broker, "broker");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(circuitBreaker, "circuitBreaker");
        Objects.requireNonNull(risk, "risk");
        Objects.requireNonNull(resilience, "resilience");
        Objects.requireNonNull(marketData, "marketData");
        Objects.requireNonNull(operations, "operations");
        Objects.requireNonNull(alerting, "alerting");
        Objects.requireNonNull(serve, "serve");
        accounts = List.copyOf(accounts);
        notifications = List.copyOf(notifications);
        if (accounts.isEmpty()) {
            throw new IllegalArgumentException("accounts must hold at least 1 account, but was empty");
        }
    }

    /** A configuration with the default serve settings. */
    public KeelConfig(Path source, String journalUrl, BrokerConfig broker, List<AccountConfig> accounts,
                      RetrySettings retry, BreakerSettings circuitBreaker, RiskSettings risk,
                      List<ChannelConfig> notifications, ResiliencePolicies resilience,
                      MarketDataSettings marketData, OperationSettings operations, NotifySettings alerting) {
        this(source, journalUrl, broker, accounts, retry, circuitBreaker, risk, notifications, resilience, marketData,
                operations, alerting, ServeSettings.DEFAULTS);
    }

    /** A configuration with the default notification settings. */
    public KeelConfig(Path source, String journalUrl, BrokerConfig broker, List<AccountConfig> accounts,
                      RetrySettings retry, BreakerSettings circuitBreaker, RiskSettings risk,
                      List<ChannelConfig> notifications, ResiliencePolicies resilience,
                      MarketDataSettings marketData, OperationSettings operations) {
        this(source, journalUrl, broker, accounts, retry, circuitBreaker, risk, notifications, resilience, marketData,
                operations, NotifySettings.DEFAULTS);
    }

    /** A configuration with the default market-data settings. */
    public KeelConfig(Path source, String journalUrl, BrokerConfig broker, List<AccountConfig> accounts,
                      RetrySettings retry, BreakerSettings circuitBreaker, RiskSettings risk,
                      List<ChannelConfig> notifications, ResiliencePolicies resilience) {
        this(source, journalUrl, broker, accounts, retry, circuitBreaker, risk, notifications, resilience,
                MarketDataSettings.DEFAULTS, OperationSettings.DEFAULTS);
    }

    /** The account with this id. */
    public Optional<AccountConfig> account(String id) {
        return accounts.stream().filter(a -> a.id().equals(id)).findFirst();
    }

    /**
     * The demo's configuration: the built-in {@code demo.yaml} (the All-Weather portfolio on the paper exchange, with
     * a timeout after accept on the 2nd submit, a rate limit on the 3rd, and DBC rejected as an unknown symbol), its
     * journal, paper state and notification log placed in {@code dataDir}.
     */
    public static KeelConfig demo(Path dataDir) {
        return ConfigLoader.demo(dataDir, "demo.yaml");
    }

    /** The order-operations demo's configuration: a broker without OCO pairs, so Keel links and watches them. */
    public static KeelConfig bracketDemo(Path dataDir) {
        return ConfigLoader.demo(dataDir, "demo-bracket.yaml");
    }

    /** The outage demo's configuration: a broker whose order endpoint fails, breakers and budget tuned to show it. */
    public static KeelConfig outageDemo(Path dataDir) {
        return ConfigLoader.demo(dataDir, "demo-outage.yaml");
    }

    /** The alpaca demo's paper exchange, served by the demo: the All-Weather account and faults at the HTTP layer. */
    public static KeelConfig alpacaDemoServer(Path dataDir) {
        return ConfigLoader.demo(dataDir, "demo-alpaca-server.yaml");
    }

    /** The alpaca demo's Keel: {@code broker.kind: alpaca} pointed at the demo's paper server at {@code url}. */
    public static KeelConfig alpacaDemo(Path dataDir, java.net.URI url) {
        return ConfigLoader.demo(dataDir, "demo-alpaca.yaml", java.util.Map.of("url", url.toString()));
    }
}
