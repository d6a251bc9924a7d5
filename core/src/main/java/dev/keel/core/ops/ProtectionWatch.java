package dev.keel.core.ops;

import dev.keel.core.broker.BrokerException;
import dev.keel.core.execution.BrokerGateway;
import dev.keel.core.journal.OrdersUnlinked;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.OperationParams;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Keeps protective pairs honest after the operation that placed them ended: no protective order outlives its
 * position, and no pair fills both legs without the excess being flattened and reported. One {@link #pass} for one
 * account, under its lock:
 * <ol>
 *   <li>syncs the working orders of the account's ended transactions with the broker ({@link LiveOrders});</li>
 *   <li>for every live link of its bracket, OCO and modification transactions: both legs ended →
 *       {@link OrdersUnlinked} in the owner's stream; an emulated pair's leg filled → its twin is cancelled; both legs
 *       filled → the excess is flattened and reported; the position gone or smaller than its protection → the
 *       protection is cancelled.</li>
 * </ol>
 * Whatever places or cancels an order runs as an OCO_ENFORCEMENT operation ({@link OcoEnforcementSaga}), a
 * transaction of its own that recovery resumes. A link is acted on at most once per pass; after each enforcement the
 * journal and the account are read again, so one pair's outcome informs the next.
 *
 * <p>With no live link and no working order, a pass reads the journal only (no broker call). It does not resize
 * protection to a smaller position: it cancels it, and the operator places a new pair.
 */
public final class ProtectionWatch {
    private final OperationSupport support;
    private final int scanLimit;

    public ProtectionWatch(OperationSupport support) {
        this(support, LiveOrders.DEFAULT_SCAN);
    }

    /** @param scanLimit how many of the account's most recent transactions are watched */
    public ProtectionWatch(OperationSupport support, int scanLimit) {
        this.support = Objects.requireNonNull(support, "support");
        if (scanLimit < 1) {
            throw new IllegalArgumentException("scanLimit must be at least 1, but was " + scanLimit);
        }
        this.scanLimit = scanLimit;
    }

    /**
     * One pass for one account. The caller holds the account's lock.
     *
     * @param enforce starts and runs an OCO_ENFORCEMENT operation with these parameters to its end (the engine's
     *                path for every operation, so recovery resumes it)
     */
    public WatchReport pass(String accountId, Function<OperationParams, OperationOutcome> enforce) {
        LiveOrders[] scans = new LiveOrders[2];
        WatchReport report = pass(accountId, enforce, scans);
        if (support.executor().settings().hooks().staleWorkingNote()) {
            scans[0].declareBlindly(support.clock().instant());
        } else {
            scans[1].declare(support.clock().instant());
        }
        return report;
    }

    /**
     * The pass; {@code scans} holds its first scan and its latest, whose views follow what the pass journaled (an
     * enforcement writes through ledgers of its own, so the pass reads the account again after each).
     */
    private WatchReport pass(String accountId, Function<OperationParams, OperationOutcome> enforce,
                             LiveOrders[] scans) {
        LiveOrders scan = LiveOrders.scanWorking(support.journal(), accountId, scanLimit);
        scans[0] = scan;
        scans[1] = scan;
        int changed = scan.sync(support.executor()).size();
        List<LinkRules.LinkState> links = LinkRules.liveLinks(scan);
        int live = links.size();
        List<String> unlinked = new ArrayList<>();
        List<OperationOutcome> enforcements = new ArrayList<>();
        if (links.isEmpty()) {
            return new WatchReport(accountId, changed, 0, unlinked, enforcements, null);
        }
        Set<String> enforced = new HashSet<>();
        AccountSnapshot account = null;
        while (true) {
            if (account == null) {
                try {
                    BrokerGateway gateway = support.executor().gateway();
                    account = gateway.read(gateway.broker()::account);
                } catch (BrokerException e) {
                    return new WatchReport(accountId, changed, live, unlinked, enforcements, "protection not "
                            + "checked: the account could not be read at the broker: " + e.getMessage());
                }
            }
            List<Judged> todo = new ArrayList<>();
            for (LinkRules.LinkState l : links) {
                if (!l.complete() || enforced.contains(id(l))) {
                    continue;
                }
                LinkRules.Verdict v = LinkRules.judge(l, links, account, LinkRules.covered(scan, l, null));
                if (v.kind() == LinkRules.Kind.UNLINK) {
                    l.owner().record(new OrdersUnlinked(l.ownerTxId(), accountId, l.link().link(), v.reason(),
                            support.clock().instant()));
                    unlinked.add(id(l) + ": " + v.reason());
                } else if (v.kind() != LinkRules.Kind.NONE) {
                    todo.add(new Judged(l, v));
                }
            }
            if (todo.isEmpty()) {
                return new WatchReport(accountId, changed, live, unlinked, enforcements, null);
            }
            Judged next = todo.stream().min(Comparator.comparingInt(j -> priority(j.verdict().kind()))).orElseThrow();
            enforced.add(id(next.link()));
            enforcements.add(enforce.apply(OperationParams.enforce(next.link().ownerTxId(),
                    next.link().link().takeProfitOrderId())));
            scan = LiveOrders.scan(support.journal(), accountId, scanLimit);
            scans[1] = scan;
            links = LinkRules.liveLinks(scan);
            account = null;
        }
    }

    private record Judged(LinkRules.LinkState link, LinkRules.Verdict verdict) {
    }

    /** Fills first (shares already sold), then the pairs whose position shrank. */
    private static int priority(LinkRules.Kind kind) {
        return switch (kind) {
            case DOUBLE_FILL -> 0;
            case TWIN_FILLED -> 1;
            case UNPROTECT -> 2;
            case UNLINK, NONE -> 3;
        };
    }

    private static String id(LinkRules.LinkState l) {
        return l.ownerTxId() + "/" + l.link().link();
    }
}
