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
import java.time.Clock;
import java.util.Map;

/** The Alpaca broker from {@code broker.alpaca} and the keys from the environment or the key file. */
final class AlpacaSetup {
    /** The feed of the {@code delayed} price source: Alpaca's 15-minute delayed SIP. */
    static final String DELAYED_FEED = "delayed_sip";

    private AlpacaSetup() {
    }

    /**
     * The one Alpaca account of the configuration.
     *
     * @param environment where {@code APCA_API_KEY_ID} and {@code APCA_API_SECRET_KEY} are read when no key file is
     *                    named
     */
    static AlpacaBroker broker(KeelConfig config, Clock clock, Sleeper sleeper, Map<String, String> environment) {
        AlpacaConfig alpaca = config.broker().alpaca();
        if (config.accounts().size() != 1) {
            throw new KeelException(ErrorCode.CONFIG_INVALID, config.source() + ": accounts: broker.kind alpaca"
                    + " trades the one Alpaca account of its key pair, so exactly 1 account is expected, but "
                    + config.accounts().size() + " are configured");
        }
        AlpacaSettings settings = AlpacaSettings.builder(alpaca.endpoint()).dataUrl(alpaca.dataUrl())
                .feed(alpaca.feed()).timeout(alpaca.timeout()).build();
        return new AlpacaBroker(config.accounts().get(0).id(), settings, keys(config, environment), clock, sleeper);
    }

    private static AlpacaKeys keys(KeelConfig config, Map<String, String> environment) {
        AlpacaConfig alpaca = config.broker().alpaca();
        if (alpaca.keyFile() != null) {
            try {
                return AlpacaKeys.fromFile(alpaca.keyFile());
            } catch (NoSuchFileException e) {
                throw new KeelException(ErrorCode.CONFIG_INVALID, config.source() + ": broker.alpaca.key-file: '"
                        + alpaca.keyFile() + "' does not exist; expected a file of APCA_API_KEY_ID=... and"
                        + " APCA_API_SECRET_KEY=... lines");
            } catch (IOException e) {
                throw new KeelException(ErrorCode.CONFIG_INVALID, config.source() + ": broker.alpaca.key-file: '"
                        + alpaca.keyFile() + "' cannot be read (" + e.getClass().getSimpleName() + ")");
            } catch (IllegalArgumentException e) {
                throw new KeelException(ErrorCode.CONFIG_INVALID, config.source() + ": broker.alpaca.key-file: "
                        + e.getMessage());
            }
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
