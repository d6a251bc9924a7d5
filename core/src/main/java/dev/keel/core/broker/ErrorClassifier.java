package dev.keel.core.broker;

import dev.keel.core.error.ErrorCode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.http.HttpTimeoutException;
import java.net.http.HttpConnectTimeoutException;
import java.util.Locale;
import java.util.Map;

/**
 * Classifies a broker failure from structured signals only (law 10): the exception type, the HTTP status and the
 * broker's error code. Never from the text of a message.
 */
public final class ErrorClassifier {
    /** Broker error codes (Alpaca's numeric {@code code} field and Keel's paper reasons) with a specific meaning. */
    private static final Map<String, ErrorCode> BROKER_CODES = Map.of(
            "40310000", ErrorCode.INSUFFICIENT_BUYING_POWER,
            "insufficient-buying-power", ErrorCode.INSUFFICIENT_BUYING_POWER,
            // Alpaca's "not found" on the order endpoints ("order not found"); its unknown symbols come as 422.
            "40410000", ErrorCode.ORDER_NOT_FOUND,
            "symbol-not-found", ErrorCode.SYMBOL_NOT_FOUND,
            "market-closed", ErrorCode.MARKET_CLOSED,
            "invalid-order", ErrorCode.INVALID_ORDER,
            "unauthorized", ErrorCode.UNAUTHORIZED,
            "duplicate-client-order-id", ErrorCode.DUPLICATE_CLIENT_ORDER_ID);

    private ErrorClassifier() {
    }

    /** A failure that never got an HTTP answer. */
    public static Classification ofTransport(Throwable failure, boolean requestSent) {
        if (failure instanceof HttpConnectTimeoutException || failure instanceof ConnectException) {
            return new Classification(ErrorCode.CONNECTION_REFUSED, Delivery.NOT_PROCESSED);
        }
        if (failure instanceof HttpTimeoutException || failure instanceof java.net.SocketTimeoutException) {
            return new Classification(ErrorCode.BROKER_TIMEOUT, requestSent ? Delivery.AMBIGUOUS : Delivery.NOT_PROCESSED);
        }
        if (failure instanceof SocketException || failure instanceof IOException) {
            return new Classification(ErrorCode.CONNECTION_RESET, requestSent ? Delivery.AMBIGUOUS : Delivery.NOT_PROCESSED);
        }
        return new Classification(ErrorCode.INTERNAL_ERROR, requestSent ? Delivery.AMBIGUOUS : Delivery.NOT_PROCESSED);
    }

    /** A failure the broker answered with an HTTP status and, perhaps, its own error code. */
    public static Classification ofHttp(int status, String brokerCode) {
        if (brokerCode != null) {
            ErrorCode specific = BROKER_CODES.get(brokerCode.toLowerCase(Locale.ROOT));
            if (specific != null) {
                return new Classification(specific, Delivery.REFUSED);
            }
        }
        if (status == 401) {
            return new Classification(ErrorCode.UNAUTHORIZED, Delivery.NOT_PROCESSED);
        }
        if (status == 403) {
            // Alpaca answers 403 for insufficient buying power on POST /v2/orders as well as for forbidden actions.
            return new Classification(ErrorCode.FORBIDDEN, Delivery.REFUSED);
        }
        if (status == 404) {
            return new Classification(ErrorCode.ORDER_NOT_FOUND, Delivery.REFUSED);
        }
        if (status == 409) {
            return new Classification(ErrorCode.DUPLICATE_CLIENT_ORDER_ID, Delivery.REFUSED);
        }
        if (status == 422 || status == 400) {
            return new Classification(ErrorCode.ORDER_REJECTED, Delivery.REFUSED);
        }
        if (status == 429) {
            return new Classification(ErrorCode.RATE_LIMITED, Delivery.NOT_PROCESSED);
        }
        if (status == 408 || status == 504) {
            return new Classification(ErrorCode.BROKER_TIMEOUT, Delivery.AMBIGUOUS);
        }
        if (status >= 500) {
            return new Classification(ErrorCode.BROKER_SERVER_ERROR, Delivery.AMBIGUOUS);
        }
        return new Classification(ErrorCode.BROKER_RESPONSE_UNRECOGNIZED, Delivery.AMBIGUOUS);
    }

    /**
     * A classification result.
     *
     * @param code     the catalog code
     * @param delivery whether the broker may have acted on the request
     */
    public record Classification(ErrorCode code, Delivery delivery) {
    }
}
