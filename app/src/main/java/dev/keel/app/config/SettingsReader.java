package dev.keel.app.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads the policy sections: retry, circuit-breaker, risk and notifications. */
final class SettingsReader {
    private SettingsReader() {
    }

    static RetrySettings retry(Field field) {
        Section s = field.section();
        int mark = s.problemCount();
        RetrySettings d = RetrySettings.DEFAULTS;
        Integer maxAttempts = s.field("max-attempts").whole(d.maxAttempts(), Bound.atLeast(1));
        Duration initialDelay = s.field("initial-delay").duration(d.initialDelay(), true);
        BigDecimal multiplier = s.field("multiplier").number(BigDecimal.valueOf(d.multiplier()), Bound.atLeast(1));
        Field maxDelayField = s.field("max-delay");
        Duration maxDelay = maxDelayField.duration(d.maxDelay(), true);
        BigDecimal jitter = s.field("jitter").number(BigDecimal.valueOf(d.jitter()),
                Bound.between("0", true, "1", false));
        if (initialDelay != null && maxDelay != null && maxDelay.compareTo(initialDelay) < 0) {
            maxDelayField.problem("must be at least initial-delay (" + DurationFormat.format(initialDelay)
                    + "), but was " + DurationFormat.format(maxDelay));
        }
        s.finish();
        return s.problemCount() > mark ? null : new RetrySettings(maxAttempts, initialDelay,
                multiplier.doubleValue(), maxDelay, jitter.doubleValue());
    }

    static BreakerSettings breaker(Field field) {
        Section s = field.section();
        int mark = s.problemCount();
        BreakerSettings d = BreakerSettings.DEFAULTS;
        Integer failureRate = s.field("failure-rate").whole(d.failureRatePercent(), new Bound(
                BigDecimal.ZERO, false, BigDecimal.valueOf(100), true));
        Integer window = s.field("window").whole(d.window(), Bound.atLeast(1));
        Field minimumCallsField = s.field("minimum-calls");
        Integer minimumCalls = minimumCallsField.whole(d.minimumCalls(), Bound.atLeast(1));
        Duration openFor = s.field("open-for").duration(d.openFor(), true);
        Integer halfOpenCalls = s.field("half-open-calls").whole(d.halfOpenCalls(), Bound.atLeast(1));
        if (window != null && minimumCalls != null && minimumCalls > window) {
            minimumCallsField.problem("must be at most window (" + window + "), but was " + minimumCalls);
        }
        s.finish();
        return s.problemCount() > mark ? null
                : new BreakerSettings(failureRate, window, minimumCalls, openFor, halfOpenCalls);
    }

    static RiskSettings risk(Field field) {
        Section s = field.section();
        int mark = s.problemCount();
        RiskSettings d = RiskSettings.DEFAULTS;
        BigDecimal maxTurnover = s.field("max-turnover").number(d.maxTurnover(), Bound.positive());
        BigDecimal maxOrder = s.field("max-order").amount(d.maxOrder(), Bound.positive());
        s.finish();
        return s.problemCount() > mark ? null : new RiskSettings(maxTurnover, maxOrder);
    }

    static OperationSettings operations(Field field) {
        Section s = field.section();
        int mark = s.problemCount();
        Duration grace = s.field("protection-grace").duration(OperationSettings.DEFAULTS.protectionGrace(), true);
        s.finish();
        return s.problemCount() > mark ? null : new OperationSettings(grace);
    }

    /** The {@code events} section: where workers take events from; see {@link EventsSettings}. */
    static EventsSettings events(Field field) {
        Section s = field.section();
        int mark = s.problemCount();
        EventsSettings d = EventsSettings.DEFAULTS;
        EventsSettings.Kind kind = s.field("kind").choice(EventsSettings.Kind.class, d.kind());
        Field urlField = s.field("url");
        String url = urlField.text(null);
        if (kind == EventsSettings.Kind.REDIS && url == null) {
            urlField.problem("is required for kind redis: 'redis://HOST:PORT', e.g. redis://127.0.0.1:6379");
        } else if (url != null && !url.startsWith("redis://") && !url.startsWith("rediss://")) {
            urlField.problem("expected 'redis://HOST:PORT' or 'rediss://HOST:PORT', but was '" + url + "'");
        }
        String stream = s.field("stream").text(d.stream());
        String group = s.field("group").text(d.group());
        Integer maxDeliveries = s.field("max-deliveries").whole(d.maxDeliveries(), Bound.atLeast(1));
        Integer maxPayload = s.field("max-payload").whole(d.maxPayload(), Bound.atLeast(1));
        Duration visibility = s.field("visibility-timeout").duration(d.visibilityTimeout(), true);
        Duration backoff = s.field("backoff").duration(d.backoff(), true);
        Duration maxBackoff = s.field("max-backoff").duration(d.maxBackoff(), true);
        Duration idle = s.field("idle").duration(d.idle(), true);
        List<String> hosts = new ArrayList<>();
        for (Field item : s.field("allocation-hosts").items()) {
            String host = item.text(null);
            if (host != null && !host.matches("[A-Za-z0-9.-]+")) {
                item.problem("expected a host name such as alloc.example.com (no scheme, port or path), but was '"
                        + host + "'");
            } else if (host != null) {
                hosts.add(host.toLowerCase(java.util.Locale.ROOT));
            }
        }
        s.finish();
        return s.problemCount() > mark ? null : new EventsSettings(kind, url, stream, group, maxDeliveries,
                maxPayload, visibility, backoff, maxBackoff, idle, hosts);
    }
}
