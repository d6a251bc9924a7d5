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
}
