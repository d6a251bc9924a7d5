package dev.keel.core.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.execution.OperationContext;
import dev.keel.core.execution.TransactionLedger;
import dev.keel.core.execution.TransactionView;
import dev.keel.core.journal.MemoryJournal;
import dev.keel.core.journal.OrderIntentRecorded;
import dev.keel.core.journal.OrderUpdated;
import dev.keel.core.journal.OrdersLinked;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.OrderState;
import dev.keel.core.model.Position;
import dev.keel.core.model.Side;
import dev.keel.core.model.Symbol;
import dev.keel.core.model.TimeInForce;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules of a protective link, over links folded from a journal. */
class ProtectionTest {
    static final Symbol VTI = Symbol.of("VTI");
    static final Instant AT = Instant.parse("2026-11-23T15:00:00Z");

    private final MemoryJournal journal = new MemoryJournal();

    /** A 10-share pair of transaction {@code tx}, both legs accepted, then the given fills. */
    private LinkRules.LinkState pair(String tx, boolean held, String tpFilled, OrderState tpState, String slFilled,
                                      OrderState slState) {
        TransactionLedger l = new TransactionLedger(journal, new OperationContext(tx, "a", tx), new TransactionView());
        OrderSpec tp = OrderSpec.limit(VTI, Side.SELL, BigDecimal.TEN, new BigDecimal("260"), TimeInForce.GTC);
        OrderSpec sl = OrderSpec.stop(VTI, Side.SELL, BigDecimal.TEN, new BigDecimal("240"), TimeInForce.GTC);
        l.record(new OrderIntentRecorded(tx, "a", "tp", tx + ":tp", tp, AT));
        l.record(new OrderIntentRecorded(tx, "a", "sl", tx + ":sl", sl, AT));
        l.record(new OrdersLinked(tx, "a", "protect-1", tx + ":tp", tx + ":sl", held, AT));
        l.record(new OrderUpdated(tx, "a", tx + ":tp", "b1", OrderState.ACCEPTED, BigDecimal.ZERO, null, AT));
        l.record(new OrderUpdated(tx, "a", tx + ":sl", "b2", OrderState.ACCEPTED, BigDecimal.ZERO, null, AT));
        if (tpState != OrderState.ACCEPTED) {
            l.record(new OrderUpdated(tx, "a", tx + ":tp", "b1", tpState, new BigDecimal(tpFilled), null, AT));
        }
        if (slState != OrderState.ACCEPTED) {
            l.record(new OrderUpdated(tx, "a", tx + ":sl", "b2", slState, new BigDecimal(slFilled), null, AT));
        }
        return LinkRules.linkOf(l, tx + ":tp");
    }

    private static AccountSnapshot holding(String shares) {
        BigDecimal q = new BigDecimal(shares);
        return new AccountSnapshot("a", BigDecimal.ZERO, BigDecimal.ZERO, q.signum() == 0 ? List.of()
                : List.of(new Position(VTI, q, new BigDecimal("250"))), AT);
    }

    private static LinkRules.Verdict judge(LinkRules.LinkState l, String held) {
        return LinkRules.judge(l, List.of(l), holding(held), BigDecimal.ZERO);
    }

    @Test
    void workingPairOverItsPositionNeedsNothing() {
        assertThat(judge(pair("t", false, "0", OrderState.ACCEPTED, "0", OrderState.ACCEPTED), "10").kind())
                .isEqualTo(LinkRules.Kind.NONE);
    }

    @Test
    void emulatedLegFillingEvenPartlyCancelsItsTwin() {
        LinkRules.Verdict v = judge(pair("t", false, "4", OrderState.PARTIALLY_FILLED, "0", OrderState.ACCEPTED),
                "6");
        assertThat(v.kind()).isEqualTo(LinkRules.Kind.TWIN_FILLED);
        assertThat(v.cancel()).containsExactly("t:sl");
    }

    @Test
    void brokerHeldPairIsLeftToTheBrokerWhenALegFills() {
        assertThat(judge(pair("t", true, "4", OrderState.PARTIALLY_FILLED, "0", OrderState.ACCEPTED), "6").kind())
                .isEqualTo(LinkRules.Kind.NONE);
    }

    @Test
    void bothLegsFilledIsADoubleFillOfTheExcessLessWhatIsCovered() {
        LinkRules.LinkState l = pair("t", true, "10", OrderState.FILLED, "7", OrderState.FILLED);
        LinkRules.Verdict v = judge(l, "-7");
        assertThat(v.kind()).isEqualTo(LinkRules.Kind.DOUBLE_FILL);
        assertThat(v.excess()).isEqualByComparingTo("7");
        assertThat(LinkRules.judge(l, List.of(l), holding("0"), new BigDecimal("7")).kind())
                .isEqualTo(LinkRules.Kind.UNLINK);
    }

    @Test
    void bothLegsEndedWithinThePairIsUnlinked() {
        assertThat(judge(pair("t", false, "10", OrderState.FILLED, "0", OrderState.CANCELLED), "0").kind())
                .isEqualTo(LinkRules.Kind.UNLINK);
    }

    @Test
    void positionGoneOrSmallerCancelsTheProtection() {
        LinkRules.LinkState l = pair("t", false, "0", OrderState.ACCEPTED, "0", OrderState.ACCEPTED);
        assertThat(judge(l, "0").kind()).isEqualTo(LinkRules.Kind.UNPROTECT);
        LinkRules.Verdict smaller = judge(l, "6");
        assertThat(smaller.kind()).isEqualTo(LinkRules.Kind.UNPROTECT);
        assertThat(smaller.cancel()).containsExactly("t:tp", "t:sl");
    }

    @Test
    void overProtectionIsCutOneLinkAtATimeOldestFirst() {
        LinkRules.LinkState older = pair("t1", false, "0", OrderState.ACCEPTED, "0", OrderState.ACCEPTED);
        LinkRules.LinkState newer = pair("t2", false, "0", OrderState.ACCEPTED, "0", OrderState.ACCEPTED);
        List<LinkRules.LinkState> all = List.of(older, newer);
        assertThat(LinkRules.judge(older, all, holding("10"), BigDecimal.ZERO).kind())
                .isEqualTo(LinkRules.Kind.UNPROTECT);
        assertThat(LinkRules.judge(newer, all, holding("10"), BigDecimal.ZERO).kind())
                .isEqualTo(LinkRules.Kind.NONE);
    }
}
