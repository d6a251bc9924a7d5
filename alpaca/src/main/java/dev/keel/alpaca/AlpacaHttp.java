package dev.keel.alpaca;

import dev.keel.core.broker.BrokerException;
import dev.keel.core.broker.Delivery;
import dev.keel.core.broker.ErrorClassifier;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.ErrorContext;
import dev.keel.core.time.Sleeper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * One HTTP exchange with Alpaca: the key headers, the timeout, the pacing by Alpaca's rate-limit headers. A failure
 * without an answer becomes a classified {@link BrokerException}; an answer of any status is returned to the caller.
 */
final class AlpacaHttp {
    private static final String JSON = "application/json";

    private final HttpClient client;
    private final AlpacaKeys keys;
    private final AlpacaSettings settings;
    private final Clock clock;
    private final Sleeper sleeper;
    private final RatePacer pacer;

    /** What Alpaca answered. */
    record Reply(String method, String path, int status, HttpHeaders headers, String body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    AlpacaHttp(HttpClient client, AlpacaKeys keys, AlpacaSettings settings, Clock clock, Sleeper sleeper) {
        this.client = Objects.requireNonNull(client, "client");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.pacer = new RatePacer(clock);
    }

    RatePacer pacer() {
        return pacer;
    }

    Clock clock() {
        return clock;
    }

    AlpacaKeys keys() {
        return keys;
    }

    /**
     * Sends one request and returns Alpaca's answer, whatever its status.
     *
     * @param base  the trading or the data URL
     * @param write true for a request that may create or change an order: a failure after it may have left is
     *              then AMBIGUOUS (law 3); a read's failure is a plain one
     * @param json  the body, or null
     */
    Reply send(String method, URI base, String pathAndQuery, String json, boolean write) {
        Duration wait = pacer.beforeRequest();
        if (!wait.isZero()) {
            if (wait.compareTo(settings.maxPacingWait()) > 0) {
                throw new BrokerException(ErrorCode.RATE_LIMITED, Delivery.NOT_PROCESSED, "alpaca " + method + " "
                        + path(pathAndQuery) + " not sent: Alpaca's rate-limit window has no request left until "
                        + pacer.resetAt() + ", further than " + settings.maxPacingWait(), null, null, wait, null,
                        ErrorContext.NONE, null);
            }
            sleeper.sleep(wait);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(settings.timeout())
                .header("APCA-API-KEY-ID", keys.keyId())
                .header("APCA-API-SECRET-KEY", keys.secret())
                .header("Accept", JSON);
        if (json != null) {
            request.header("Content-Type", JSON)
                    .method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            ErrorClassifier.Classification c = ErrorClassifier.ofTransport(e, write);
            // The exception's own text may carry a URL or a proxy's words, never our keys; its type is what counts.
            throw new BrokerException(c.code(), c.delivery(), "alpaca " + method + " " + path(pathAndQuery)
                    + " failed without an answer (" + e.getClass().getSimpleName() + ")" + (c.delivery()
                    == Delivery.AMBIGUOUS ? "; the broker may have acted on it" : ""), null, null, null, null,
                    ErrorContext.NONE, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerException(ErrorCode.INTERNAL_ERROR, write ? Delivery.AMBIGUOUS : Delivery.NOT_PROCESSED,
                    "alpaca " + method + " " + path(pathAndQuery) + " interrupted", null, null, null, null,
                    ErrorContext.NONE, e);
        }
        pacer.observe(response.headers());
        return new Reply(method, path(pathAndQuery), response.statusCode(), response.headers(), response.body());
    }

    private static String path(String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        return q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    }
}
