package dev.keel.core.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.core.execution.TransactionView;
import dev.keel.core.journal.OperationRequested;
import dev.keel.core.journal.OperationStateChanged;
import dev.keel.core.journal.OrdersLinked;
import dev.keel.core.journal.OrdersUnlinked;
import dev.keel.core.journal.TransactionEvent;
import dev.keel.core.model.OperationParams;
import dev.keel.core.model.OperationState;
import dev.keel.core.model.OperationType;
import dev.keel.core.model.Symbol;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The link rules the fold enforces: no self-link, no order in two live links, no unlink of what is not linked. */
class OperationViewLinksTest {
    static final Instant AT = Instant.parse("2026-11-23T15:00:00Z");

    private static OperationView fold(TransactionEvent... events) {
        TransactionView tx = new TransactionView();
        List<TransactionEvent> all = new ArrayList<>(List.of(
                new OperationRequested("tx", "a", OperationType.OCO_PAIR, OperationParams.oco(Symbol.of("VTI"),
                        BigDecimal.TEN, new BigDecimal("240"), null, new BigDecimal("270")), AT),
                new OperationStateChanged("tx", "a", null, OperationState.PENDING, "requested", AT)));
        all.addAll(List.of(events));
        all.forEach(tx::apply);
        return OperationView.of(tx);
    }

    private static OrdersLinked link(String name, String tp, String sl) {
        return new OrdersLinked("tx", "a", name, tp, sl, false, AT);
    }

    private static OrdersUnlinked unlink(String name) {
        return new OrdersUnlinked("tx", "a", name, "replaced", AT);
    }

    @Test
    void aLinkJoinsTwoOrdersAndUnlinkingFreesBoth() {
        OperationView view = fold(link("protect-1", "tx:p1-tp", "tx:p1-sl"), unlink("protect-1"),
                link("protect-2", "tx:p1-tp", "tx:p2-sl"));

        assertThat(view.links()).extracting(OrdersLinked::link).containsExactly("protect-1", "protect-2");
        assertThat(view.liveLinks()).extracting(OrdersLinked::link).containsExactly("protect-2");
        assertThat(view.isUnlinked("protect-1")).isTrue();
        assertThat(view.liveLinkOf("tx:p1-tp").link()).isEqualTo("protect-2");
        assertThat(view.liveLinkOf("tx:p1-sl")).isNull();
    }

    @Test
    void anOrderLinkedToItselfIsRefused() {
        assertThatThrownBy(() -> fold(link("protect-1", "tx:x", "tx:x")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("to itself");
    }

    @Test
    void anOrderInTwoLiveLinksIsRefused() {
        assertThatThrownBy(() -> fold(link("protect-1", "tx:a", "tx:b"), link("protect-2", "tx:c", "tx:a")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("live link protect-1");
    }

    @Test
    void theSameLinkNameTwiceIsRefused() {
        assertThatThrownBy(() -> fold(link("protect-1", "tx:a", "tx:b"), unlink("protect-1"),
                link("protect-1", "tx:c", "tx:d"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("linked twice");
    }

    @Test
    void unlinkingAnUnknownOrEndedLinkIsRefused() {
        assertThatThrownBy(() -> fold(unlink("protect-9"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not a live link");
        assertThatThrownBy(() -> fold(link("protect-1", "tx:a", "tx:b"), unlink("protect-1"), unlink("protect-1")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not a live link");
    }
}
