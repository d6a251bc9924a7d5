package dev.keel.core.execution;

import dev.keel.core.broker.BrokerException;
import dev.keel.core.broker.OrderUpdates;
import dev.keel.core.journal.OrderCancelFailed;
import dev.keel.core.journal.OrderCancelRequested;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.time.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waiting for an accepted order to fill, with a poll that backs off, and cancelling it at the fill timeout; the
 * cancel is journaled before it is sent, like every cancel (law 3).
 */
final class FillWatch {
    private static final Logger LOG = LoggerFactory.getLogger(FillWatch.class);

    private final BrokerGateway gateway;
    private final ExecutionSettings settings;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Lookups lookups;
    private final OrderUpdates updates;

    FillWatch(ExecutionKit kit, Lookups lookups) {
        this.updates = kit.updates();
        this.gateway = kit.gateway();
        this.settings = kit.settings();
        this.clock = kit.clock();
        this.sleeper = kit.sleeper();
        this.lookups = lookups;
    }

    /**
     * Polls until the order is terminal, or takes what the broker pushes meanwhile; past the fill timeout, cancels it
     * and records what the broker says.
     */
    void awaitFill(TransactionLedger ledger, String cid) {
        OperationContext ctx = ledger.context();
        Duration interval = settings.pollInterval();
        while (true) {
            OrderTrack t = ledger.view().order(cid);
            if (t.state().isTerminal()) {
                return;
            }
            Instant deadline = t.acceptedAt().plus(settings.fillTimeout());
            Instant now = clock.instant();
            if (!now.isBefore(deadline)) {
                cancelUnfilled(ledger, t);
                return;
            }
            Duration wait = interval.compareTo(Duration.between(now, deadline)) < 0 ? interval
                    : Duration.between(now, deadline);
            // A state the broker pushes meanwhile is journaled at once, as a poll's answer would be; then look again.
            Optional<BrokerOrder> pushed = updates.await(cid, o -> Lookups.movesForward(t, o), wait, sleeper);
            if (pushed.isPresent()) {
                lookups.recordIfChanged(ledger, ctx, t, pushed.get());
                continue;
            }
            interval = min(interval.multipliedBy(2), settings.maxPollInterval());
            try {
                gateway.lookup(cid).ifPresent(o -> lookups.recordIfChanged(ledger, ctx, t, o));
            } catch (BrokerException e) {
                LOG.debug("fill poll of {} failed: {}; polling on until the fill timeout", cid, e.code());
            }
        }
    }

    /**
     * The fill-timeout cancel, with law 3 for cancels as {@link CancelRequests#cancel} keeps it: the request is
     * journaled before it is sent, so a restart knows a cancel may have reached the broker, and a failed one is
     * journaled too.
     */
    private void cancelUnfilled(TransactionLedger ledger, OrderTrack t) {
        OperationContext ctx = ledger.context();
        ledger.record(new OrderCancelRequested(ctx.txId(), ctx.accountId(), t.clientOrderId(), t.brokerOrderId(), 1,
                "not filled within the fill timeout of " + settings.fillTimeout(), clock.instant()));
        try {
            lookups.recordIfChanged(ledger, ctx, t, gateway.cancel(t.brokerOrderId()));
        } catch (BrokerException e) {
            ledger.record(new OrderCancelFailed(ctx.txId(), ctx.accountId(), t.clientOrderId(), 1, e.code(),
                    e.delivery(), e.getMessage(), clock.instant()));
            LOG.warn("cancel of unfilled {} failed: {}; asking the broker for its state", t.clientOrderId(), e.code());
        }
        OrderTrack after = ledger.view().order(t.clientOrderId());
        if (after.state().isLive()) {
            try {
                gateway.lookup(t.clientOrderId()).ifPresent(o -> lookups.recordIfChanged(ledger, ctx, after, o));
            } catch (BrokerException e) {
                LOG.warn("order {} may still be working at the broker: {}", t.clientOrderId(), e.code());
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
