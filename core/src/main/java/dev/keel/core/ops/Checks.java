package dev.keel.core.ops;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.model.OperationParams;
import java.math.BigDecimal;

/** Request checks the protective sagas share; each names the parameter and the value it got. */
final class Checks {
    private Checks() {
    }

    static void symbol(OperationParams p) {
        if (p.symbol() == null) {
            throw new KeelException(ErrorCode.INVALID_ORDER, "symbol is required, but was missing");
        }
    }

    /**
     * A protective pair's request: a symbol, a positive whole quantity (unless DAY), positive stop and target with the
     * stop below the target, and a stop-limit at most the stop. The bracket and the OCO pair ask the same.
     */
    static void protectivePair(OperationParams p) {
        symbol(p);
        positive("quantity", p.quantity());
        wholeSharesUnlessDay(p);
        positive("stopPrice", p.stopPrice());
        positive("targetPrice", p.targetPrice());
        stopBelowTarget(p);
        stopLimit(p);
    }

    static void positive(String name, BigDecimal value) {
        if (value == null || value.signum() <= 0) {
            throw new KeelException(ErrorCode.INVALID_ORDER, name + " must be positive, but was "
                    + (value == null ? "missing" : value.toPlainString()));
        }
    }

    static void stopBelowTarget(OperationParams p) {
        if (p.stopPrice().compareTo(p.targetPrice()) >= 0) {
            throw new KeelException(ErrorCode.INVALID_ORDER, "stopPrice must be below targetPrice "
                    + p.targetPrice().toPlainString() + " for a long position, but was " + p.stopPrice().toPlainString());
        }
    }

    static void stopLimit(OperationParams p) {
        if (p.stopLimit() == null) {
            return;
        }
        positive("stopLimit", p.stopLimit());
        if (p.stopLimit().compareTo(p.stopPrice()) > 0) {
            throw new KeelException(ErrorCode.INVALID_ORDER, "stopLimit must be at most stopPrice "
                    + p.stopPrice().toPlainString() + ", but was " + p.stopLimit().toPlainString());
        }
    }

    /**
     * Brokers take fractional quantities as day orders only (Alpaca, and the paper exchange with it), while
     * protective orders rest GTC unless asked otherwise: a fractional quantity would have its protection refused after
     * the entry filled, and the position closed again at once. Refused up front instead, saying what to do.
     */
    static void wholeSharesUnlessDay(OperationParams p) {
        boolean fractional = p.quantity().stripTrailingZeros().scale() > 0;
        if (fractional && p.timeInForce() != dev.keel.core.model.TimeInForce.DAY) {
            throw new KeelException(ErrorCode.INVALID_ORDER, "quantity must be whole shares for protective orders "
                    + "that rest until cancelled (brokers take fractional quantities as day orders only), but was "
                    + p.quantity().toPlainString() + "; use whole shares, or time in force DAY to protect until the "
                    + "close");
        }
    }
}
