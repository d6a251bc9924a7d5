package dev.keel.paper;

import dev.keel.core.broker.Delivery;
import dev.keel.core.error.ErrorCode;

/** Why a {@link FaultKind#REJECT} fault (or the exchange's own rules) refuses a request, with Alpaca's HTTP status. */
public enum RejectReason {
    INSUFFICIENT_BUYING_POWER(ErrorCode.INSUFFICIENT_BUYING_POWER, 403),
    SYMBOL_NOT_FOUND(ErrorCode.SYMBOL_NOT_FOUND, 422),
    MARKET_CLOSED(ErrorCode.MARKET_CLOSED, 422),
    INVALID_ORDER(ErrorCode.INVALID_ORDER, 422),
    UNAUTHORIZED(ErrorCode.UNAUTHORIZED, 401);

    private final ErrorCode code;
    private final int httpStatus;

    RejectReason(ErrorCode code, int httpStatus) {
        this.code = code;
        this.httpStatus = httpStatus;
    }

    /** The kebab-case name, also the {@code brokerCode} of the exception: {@code insufficient-buying-power}. */
    public String wire() {
        return Names.kebab(this);
    }

    /** Parses {@code insufficient-buying-power} etc.; an unknown name throws, listing the valid ones. */
    public static RejectReason parse(String name) {
        return Names.parse(RejectReason.class, "reject reason", name);
    }

    public ErrorCode code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** A 401 is refused before the request is processed; the others are definite refusals. */
    public Delivery delivery() {
        return this == UNAUTHORIZED ? Delivery.NOT_PROCESSED : Delivery.REFUSED;
    }
}
