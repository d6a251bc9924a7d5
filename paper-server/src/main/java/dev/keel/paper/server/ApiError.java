package dev.keel.paper.server;

import java.time.Duration;

/**
 * An answer in Alpaca's error shape, {@code {"code":40010001,"message":"..."}}, with its HTTP status.
 *
 * @param retryAfter Retry-After of a 429, null otherwise
 */
record ApiError(int status, long code, String message, Duration retryAfter) {
    /** 401: the key id or secret is missing or wrong. */
    static final long UNAUTHORIZED = 40110000L;
    /** 403: insufficient buying power (and other refusals of the account). */
    static final long FORBIDDEN = 40310000L;
    /** 404: no such order, position or symbol. */
    static final long NOT_FOUND = 40410000L;
    /** 422: the request is invalid (duplicate client order id, bad field, order refused). */
    static final long INVALID = 40010001L;
    /** 422: the order's state does not allow it (cancel or replace of an ended order). */
    static final long NOT_ALLOWED = 42210000L;
    /** 429: too many requests. */
    static final long RATE_LIMITED = 42910000L;
    /** 5xx: the server failed. */
    static final long SERVER_ERROR = 50010000L;

    static ApiError invalid(String message) {
        return new ApiError(422, INVALID, message, null);
    }

    static ApiError notFound(String message) {
        return new ApiError(404, NOT_FOUND, message, null);
    }

    /** As an exception, for handlers that stop at a bad request. */
    Failure failure() {
        return new Failure(this);
    }

    /** Thrown by a handler to answer with an error. */
    static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient ApiError error;

        Failure(ApiError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }

        ApiError error() {
            return error;
        }
    }
}
