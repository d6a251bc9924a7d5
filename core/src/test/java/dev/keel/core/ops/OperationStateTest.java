package dev.keel.core.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.core.model.IllegalStateTransitionException;
import dev.keel.core.model.OperationState;
import dev.keel.core.model.TransactionStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OperationStateTest {

    @Test
    void theTransitionTableIsExactlyTheDesignedOne() {
        List<String> legal = new ArrayList<>();
        for (OperationState from : OperationState.values()) {
            for (OperationState to : OperationState.values()) {
                if (from.canMoveTo(to)) {
                    legal.add(from + "->" + to);
                }
            }
        }
        assertThat(legal).containsExactly(
                "PENDING->IN_PROGRESS", "PENDING->FAILED", "PENDING->NEEDS_REVIEW",
                "IN_PROGRESS->PARTIALLY_COMPLETED", "IN_PROGRESS->COMPLETED", "IN_PROGRESS->FAILED",
                "IN_PROGRESS->ROLLING_BACK", "IN_PROGRESS->NEEDS_REVIEW",
                "ROLLING_BACK->ROLLED_BACK", "ROLLING_BACK->NEEDS_REVIEW");
    }

    @Test
    void terminalStatesMapOntoTransactionStatusesAndOthersRefuse() {
        assertThat(OperationState.COMPLETED.transactionStatus()).isEqualTo(TransactionStatus.COMPLETED);
        assertThat(OperationState.PARTIALLY_COMPLETED.transactionStatus()).isEqualTo(TransactionStatus.PARTIAL);
        assertThat(OperationState.ROLLED_BACK.transactionStatus()).isEqualTo(TransactionStatus.ROLLED_BACK);
        assertThat(OperationState.NEEDS_REVIEW.transactionStatus()).isEqualTo(TransactionStatus.NEEDS_REVIEW);
        assertThat(OperationState.FAILED.transactionStatus()).isEqualTo(TransactionStatus.FAILED);
        assertThatThrownBy(OperationState.ROLLING_BACK::transactionStatus).isInstanceOf(IllegalStateException.class);
        assertThat(OperationState.ROLLING_BACK.isTerminal()).isFalse();
        assertThat(OperationState.ROLLED_BACK.isTerminal()).isTrue();
    }

    @Test
    void anIllegalMoveThrows() {
        assertThatThrownBy(() -> OperationState.PENDING.moveTo(OperationState.COMPLETED))
                .isInstanceOf(IllegalStateTransitionException.class);
        assertThatThrownBy(() -> OperationState.COMPLETED.moveTo(OperationState.ROLLING_BACK))
                .isInstanceOf(IllegalStateTransitionException.class);
        assertThat(OperationState.IN_PROGRESS.moveTo(OperationState.ROLLING_BACK))
                .isEqualTo(OperationState.ROLLING_BACK);
    }
}
