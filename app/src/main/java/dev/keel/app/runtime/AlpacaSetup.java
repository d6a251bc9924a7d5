package dev.keel.app.runtime;

import dev.keel.alpaca.AlpacaBroker;
import dev.keel.alpaca.AlpacaKeys;
import dev.keel.alpaca.AlpacaQuotes;
import dev.keel.alpaca.AlpacaSettings;
import dev.keel.app.config.AlpacaConfig;
import dev.keel.app.config.KeelConfig;
import dev.keel.app.config.MarketDataSettings;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.marketdata.QuoteSource;
import dev.keel.core.time.Sleeper;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** The Alpaca broker from {@code broker.alpaca} and the keys from the environment or the key file. */
final class AlpacaSetup {
    /** The feed of the {@code delayed} price source: Alpaca's 15-minute delayed SIP. */
    static final String DELAYED_FEED = "delayed_sip";

    private AlpacaSetup() {
    }

    /**
     * One Alpaca broker per configured account, in the configuration's order, sharing one HTTP client. An Alpaca key
     * pair is one Alpaca account: with one Keel account its keys come from {@code broker.alpaca.key-file} or the
     * environment; with several, each account names its own file in {@code broker.alpaca.key-files}.
     *
     * @param environment where {@code APCA_API_KEY_ID} and {@code APCA_API_SECRET_KEY} are read when no key file is
     *                    named
     */
    static Brokers brokers(KeelConfig config, Clock clock, Sleeper sleeper, Map<String, String> environment) {
        AlpacaConfig alpaca = config.broker().alpaca();
        AlpacaSettings settings = AlpacaSettings.builder(alpaca.endpoint()).dataUrl(alpaca.dataUrl())
                .feed(alpaca.feed()).timeout(alpaca.timeout()).build();
        Map<String, AlpacaBroker> brokers = new java.util.LinkedHashMap<>();
        if (alpaca.keyFiles().isEmpty()) {
            if (config.accounts().size() != 1) {
                throw new KeelException(ErrorCode.CONFIG_INVALID, config.source() + ": broker.alpaca.key-files:"
                        + " an Alpaca key pair trades one Alpaca account, so " + config.accounts().size()
                        + " accounts need a key file each, e.g. key-files: { " + config.accounts().get(0).id()
                        + ": /etc/keel/" + config.accounts().get(0).id() + ".keys, ... }");
            }
            String id = config.accounts().get(0).id();
            brokers.put(id, new AlpacaBroker(id, settings, keys(config, environment), clock, sleeper));
            return new Brokers(brokers, null);
        }
        List<String> missing = config.accounts().stream().map(a -> a.id())
                .filter(id -> !alpaca.keyFiles().containsKey(id)).toList();
        List<String> unknown = alpaca.keyFiles().keySet().stream()
                .filter(id -> config.account(id).isEmpty()).toList();
        if (!missing.isEmpty() || !unknown.isEmpty()) {
            throw new KeelException(ErrorCode.CONFIG_INVALID, config.source() + ": broker.alpaca.key-files: "
                    + (missing.isEmpty() ? "" : "no key file for account(s) " + String.join(", ", missing)
                    + (unknown.isEmpty() ? "" : "; ")) + (unknown.isEmpty() ? "" : "no account named "
                    + String.join(", ", unknown)) + "; expected one entry per account id");
        }
        java.net.http.HttpClient client = AlpacaBroker.client(settings);
        for (var a : config.accounts()) {
            Path file = alpaca.keyFiles().get(a.id());
            brokers.put(a.id(), new AlpacaBroker(a.id(), settings, fromFile(config, "broker.alpaca.key-files." + a.id(),
                    file), client, clock, sleeper));
        }
        return new Brokers(brokers, client);
    }

    /**
     * The accounts' brokers, and the HTTP client they share when there are several (a broker leaves a shared client
     * open when it closes: {@link #close} closes it after them).
     */
    record Brokers(Map<String, AlpacaBroker> byAccount, java.net.http.HttpClient shared) implements AutoCloseable {
        AlpacaBroker first() {
            return byAccount.values().iterator().next();
        }

        @Override
        public void close() {
            byAccount.values().forEach(AlpacaBroker::close);
            if (shared != null) {
                shared.close();
            }
        }
    }

    private static AlpacaKeys fromFile(KeelConfig config, String field, Path file) {
        try {
            return AlpacaKeys.fromFile(file);
        } catch (NoSuchFileException e) {
            throw new KeelException(ErrorCode.CONFIG_INVALID, config.source() + ": " + field + ": '" + file
                    + "' does not exist; expected a file of APCA_API_KEY_ID=... and APCA_API_SECRET_KEY=... lines");
        } catch (IOException e) {
            throw new KeelException(ErrorCode.CONFIG_INVALID, config.source() + ": " + field + ": '" + file
                    + "' cannot be read (" + e.getClass().getSimpleName() + ")");
        } catch (IllegalArgumentException e) {
            throw new KeelException(ErrorCode.CONFIG_INVALID, config.source() + ": " + field + ": " + e.getMessage());
        }
    }

    private static AlpacaKeys keys(KeelConfig config, Map<String, String> environment) {
        AlpacaConfig alpaca = config.broker().alpaca();
        if (alpaca.keyFile() != null) {
            return fromFile(config, "broker.alpaca.key-file", alpaca.keyFile());
        }
        AlpacaKeys keys = AlpacaKeys.fromEnvironment(environment);
        if (keys == null) {
            throw new KeelException(ErrorCode.CONFIG_INVALID, config.source() + ": broker.kind: alpaca needs its keys:"
                    + " set " + AlpacaKeys.KEY_ID_VARIABLE + " and " + AlpacaKeys.SECRET_VARIABLE
                    + " in the environment, or name a key file outside the repository with broker.alpaca.key-file");
        }
        return keys;
    }

    /** The price source of one configured kind other than the broker's live quotes. */
    static QuoteSource source(MarketDataSettings.Source source, AlpacaBroker broker, Clock clock) {
        return switch (source.kind()) {
            case LIVE -> throw new IllegalArgumentException("the live source is the broker's, through its gateway");
            case DELAYED -> AlpacaQuotes.feed(broker, "delayed", DELAYED_FEED, clock);
            case LAST_CLOSE -> AlpacaQuotes.lastClose(broker, "last-close", clock);
        };
    }
}
