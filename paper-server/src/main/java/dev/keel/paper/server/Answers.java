package dev.keel.paper.server;

import dev.keel.core.broker.BrokerException;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;

/**
 * Turns what the exchange threw into what an HTTP client of Alpaca sees: an error body with Alpaca's status and
 * numeric code, or, for the transport faults of the fault plan, no answer at all: the connection dropped
 * ({@code connection-reset} before anything was done, {@code timeout-after-accept} after the order was taken) or the
 * answer held until the client gave up ({@code timeout-before-accept}). The fault is read from the exception's
 * structured context, never from its message.
 */
final class Answers {
    private Answers() {
    }

    /** Alpaca's answer to a refusal or failure of the exchange. */
    static ApiError of(BrokerException e) {
        String message = e.getMessage() == null ? e.code().name() : e.getMessage().replaceFirst("^paper: ", "");
        return switch (e.code()) {
            case UNAUTHORIZED -> new ApiError(401, ApiError.UNAUTHORIZED, "request is not authorized", null);
            case INSUFFICIENT_BUYING_POWER, FORBIDDEN -> new ApiError(403, ApiError.FORBIDDEN, message, null);
            case DUPLICATE_CLIENT_ORDER_ID -> ApiError.invalid("client_order_id must be unique");
            case ORDER_NOT_FOUND -> ApiError.notFound("order not found");
            case QUOTE_MISSING -> ApiError.notFound(message);
            case RATE_LIMITED -> new ApiError(429, ApiError.RATE_LIMITED, "rate limit exceeded",
                    e.retryAfter() == null ? Duration.ZERO : e.retryAfter());
            case BROKER_SERVER_ERROR -> new ApiError(e.httpStatus() == null ? 500 : e.httpStatus(),
                    ApiError.SERVER_ERROR, "internal server error occurred", null);
            case SYMBOL_NOT_FOUND, MARKET_CLOSED, INVALID_ORDER, ORDER_REJECTED -> ApiError.invalid(message);
            default -> new ApiError(500, ApiError.SERVER_ERROR, "internal server error occurred", null);
        };
    }

    /** The transport fault the exception stands for, or null when it is an answer. */
    static String transportFault(BrokerException e) {
        String fault = e.context().details().get("fault");
        if (fault == null) {
            return null;
        }
        return switch (fault) {
            case "timeout-before-accept", "timeout-after-accept", "connection-reset" -> fault;
            default -> null;
        };
    }

    /** Ends the exchange with the client without an answer: what a reset or a lost answer looks like. */
    static void drop(Context ctx) {
        ServletContextRequest request = ServletContextRequest.getServletContextRequest(ctx.req());
        request.getConnectionMetaData().getConnection().getEndPoint().close();
    }

    /** Holds the answer for {@code hold}, then drops the connection: a client with a shorter timeout gives up first. */
    static void holdThenDrop(Context ctx, Duration hold) {
        ctx.future(() -> CompletableFuture.runAsync(() -> drop(ctx),
                CompletableFuture.delayedExecutor(hold.toMillis(), TimeUnit.MILLISECONDS)));
    }
}
