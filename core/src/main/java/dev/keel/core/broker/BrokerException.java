package dev.keel.core.broker;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.ErrorContext;
import dev.keel.core.error.KeelException;
import java.time.Duration;
import java.util.Objects;

/**
 * A broker request failed. Carries the structured signals classification uses (law 10): the catalog code, the
 * delivery certainty, the HTTP status and broker error code if any, and Retry-After.
 */
public final class BrokerException extends KeelException {
    private static final long serialVersionUID = 1L;

    private final Delivery delivery;
    private final Integer httpStatus;
    private final String brokerCode;
    private final transient Duration retryAfter;
    private final String rawResponse;

    public BrokerException(ErrorCode code, Delivery delivery, String message, Integer httpStatus, String brokerCode,
                           Duration retryAfter, String rawResponse, ErrorContext context, Throwable cause) {
        super(code, message, context, cause);
        this.delivery = Objects.requireNonNull(delivery, "delivery");
        this.httpStatus = httpStatus;
        this.brokerCode = brokerCode;
        this.retryAfter = retryAfter;
        this.rawResponse = rawResponse;
    }

    /** A failure with no HTTP details, as the paper exchange and tests raise. */
    public static BrokerException of(ErrorCode code, Delivery delivery, String message) {
        return new BrokerException(code, delivery, message, null, null, null, null, ErrorContext.NONE, null);
    }

    public Delivery delivery() {
        return delivery;
    }

    /** The HTTP status, or null when the transport had none. */
    public Integer httpStatus() {
        return httpStatus;
    }

    /** The broker's own error code, or null. */
    public String brokerCode() {
        return brokerCode;
    }

    /** How long the broker asked Keel to wait, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** The broker's raw answer when Keel did not understand it, for the journal; null otherwise. */
    public String rawResponse() {
        return rawResponse;
    }

    /** True when the request may have been acted on, so an order submit's outcome is UNKNOWN. */
    public boolean ambiguous() {
        return delivery == Delivery.AMBIGUOUS;
    }
}
