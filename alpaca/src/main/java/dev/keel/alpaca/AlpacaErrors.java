package dev.keel.alpaca;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.core.broker.BrokerException;
import dev.keel.core.broker.Delivery;
import dev.keel.core.broker.ErrorClassifier;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.ErrorContext;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * Turns an Alpaca answer that is not a success into a {@link BrokerException}, from structured signals only (law
 * 10): the HTTP status, Alpaca's numeric {@code code} in the body ({@code {"code":40310000,"message":"..."}}) and the
 * Retry-After and rate-limit headers. Alpaca's message travels as text for a person; it decides nothing. A body
 * Keel cannot read travels raw (bounded, keys stripped) so the journal keeps it.
 */
final class AlpacaErrors {
    /** The longest raw answer kept in an exception and so in the journal. */
    static final int MAX_RAW = 2_000;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AlpacaErrors() {
    }

    /** Alpaca's error body: its numeric code (null when absent) and message (null when absent). */
    record Body(String code, String message) {
    }

    /** Reads {@code {"code":..., "message":...}}; null when the body is not such an object. */
    static Body body(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node == null || !node.isObject()) {
                return null;
            }
            JsonNode code = node.get("code");
            JsonNode message = node.get("message");
            if ((code == null || !code.isNumber()) && (message == null || !message.isTextual())) {
                return null;
            }
            return new Body(code != null && code.isNumber() ? code.bigIntegerValue().toString() : null,
                    message != null && message.isTextual() ? message.asText() : null);
        } catch (IOException e) {
            return null;
        }
    }

    /** The failure an answer with a non-success status stands for. */
    static BrokerException of(AlpacaHttp.Reply reply, AlpacaKeys keys, Clock clock) {
        Body body = body(reply.body());
        String code = body == null ? null : body.code();
        ErrorClassifier.Classification c = ErrorClassifier.ofHttp(reply.status(), code);
        // A body Keel cannot read is kept raw for the journal; one it read is summarised in the message.
        String raw = body == null ? raw(reply.body(), keys) : null;
        String said = body == null ? (raw == null || raw.isEmpty() ? "no body" : "an unreadable body")
                : (code == null ? "" : "code " + code + ": ") + bounded(keys.redact(body.message()));
        return new BrokerException(c.code(), c.delivery(), "alpaca " + reply.method() + " " + reply.path()
                + " answered " + reply.status() + " (" + said + ")", reply.status(), code,
                retryAfter(reply, clock), raw, ErrorContext.NONE.with("http_status", Integer.toString(reply.status())),
                null);
    }

    /**
     * A success whose body Keel cannot read: BROKER_RESPONSE_UNRECOGNIZED, with the raw body. For a write it is
     * AMBIGUOUS: Alpaca said yes to something, so the order may exist (law 3).
     */
    static BrokerException unrecognized(AlpacaHttp.Reply reply, boolean write, String why, AlpacaKeys keys) {
        return new BrokerException(ErrorCode.BROKER_RESPONSE_UNRECOGNIZED,
                write ? Delivery.AMBIGUOUS : Delivery.NOT_PROCESSED, "alpaca " + reply.method() + " " + reply.path()
                + " answered " + reply.status() + " with a body Keel cannot read: " + why, reply.status(), null, null,
                raw(reply.body(), keys), ErrorContext.NONE.with("http_status", Integer.toString(reply.status())),
                null);
    }

    /** How long Alpaca asked Keel to wait: Retry-After (seconds), else the 429's X-RateLimit-Reset; null if none. */
    static Duration retryAfter(AlpacaHttp.Reply reply, Clock clock) {
        OptionalLong seconds = RatePacer.number(reply.headers(), "Retry-After");
        if (seconds.isPresent() && seconds.getAsLong() >= 0) {
            return Duration.ofSeconds(seconds.getAsLong());
        }
        if (reply.status() == 429) {
            OptionalLong reset = RatePacer.number(reply.headers(), "X-RateLimit-Reset");
            if (reset.isPresent()) {
                Duration left = Duration.between(clock.instant(), Instant.ofEpochSecond(reset.getAsLong()));
                return left.isNegative() || left.isZero() ? Duration.ofSeconds(1) : left;
            }
        }
        return null;
    }

    static String raw(String body, AlpacaKeys keys) {
        if (body == null) {
            return null;
        }
        return bounded(keys.redact(body));
    }

    private static String bounded(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= MAX_RAW ? text : text.substring(0, MAX_RAW) + "...(" + text.length() + " chars)";
    }
}
