package dev.keel.app.config;

import dev.keel.core.execution.Backoff;
import dev.keel.core.execution.BreakerPolicy;
import dev.keel.core.execution.BulkheadPolicy;
import dev.keel.core.execution.Endpoint;
import dev.keel.core.execution.RateLimitPolicy;
import dev.keel.core.execution.ResiliencePolicies;
import dev.keel.core.execution.RetryBudgetPolicy;
import dev.keel.core.execution.RetryPolicy;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;

/**
 * Reads the {@code resilience} section: the broker's circuit breaker and retry (refining the top-level
 * {@code circuit-breaker} and {@code retry}, key by key), each endpoint's own (refining those), the retry budget,
 * the rate limit and the bulkhead.
 */
final class ResilienceReader {
    private static final Bound PERCENT = new Bound(BigDecimal.ZERO, false, BigDecimal.valueOf(100), true);
    private static final Boolean[] FLAGS = {Boolean.TRUE, Boolean.FALSE};

    private ResilienceReader() {
    }

    /**
     * @param breaker the top-level {@code circuit-breaker}, which the section refines
     * @param retry   the top-level {@code retry}, which the section refines
     * @return the policies, or null when the section has problems (they are reported)
     */
    static ResiliencePolicies resilience(Field field, BreakerPolicy breaker, RetryPolicy retry) {
        return resilience(field, breaker, retry, null);
    }

    /** As above, with the broker's published request limit as the default of {@code rate-limit}; null for none. */
    static ResiliencePolicies resilience(Field field, BreakerPolicy breaker, RetryPolicy retry,
                                         RateLimitPolicy defaultRateLimit) {
        Section s = field.section();
        int mark = s.problemCount();
        BreakerPolicy defaultBreaker = breaker(s.field("circuit-breaker"), breaker);
        RetryPolicy defaultRetry = retry(s.field("retry"), retry);
        RetryBudgetPolicy budget = budget(s.field("retry-budget"));
        Field rateLimitField = s.field("rate-limit");
        RateLimitPolicy rateLimit = rateLimitField.present() ? rateLimit(rateLimitField, defaultRateLimit == null
                ? RateLimitPolicy.Scope.BROKER : defaultRateLimit.scope()) : defaultRateLimit;
        BulkheadPolicy bulkhead = bulkhead(s.field("bulkhead"));
        ResiliencePolicies.Builder b = ResiliencePolicies.builder();
        Section endpoints = s.field("endpoints").section();
        for (Endpoint e : Endpoint.values()) {
            Section one = endpoints.field(e.wire()).section();
            Field breakerField = one.field("circuit-breaker");
            Field retryField = one.field("retry");
            if (defaultBreaker != null && breakerField.present()) {
                BreakerPolicy own = breaker(breakerField, defaultBreaker);
                if (own != null) {
                    b.breaker(e, own);
                }
            }
            if (defaultRetry != null && retryField.present()) {
                RetryPolicy own = retry(retryField, defaultRetry);
                if (own != null) {
                    b.retry(e, own);
                }
            }
            one.finish();
        }
        endpoints.finish();
        s.finish();
        if (s.problemCount() > mark) {
            return null;
        }
        return b.breaker(defaultBreaker).retry(defaultRetry).budget(budget).rateLimit(rateLimit).bulkhead(bulkhead)
                .build();
    }

    /** A breaker section read over {@code base}: every key it leaves out keeps the base's value. */
    static BreakerPolicy breaker(Field field, BreakerPolicy base) {
        Section s = field.section();
        int mark = s.problemCount();
        Integer failureRate = s.field("failure-rate").whole(base.failureRate(), PERCENT);
        Integer failureCount = s.field("failure-count").whole(base.failureCount(), Bound.atLeast(0));
        Integer window = s.field("window").whole(base.window(), Bound.atLeast(1));
        Field minimumField = s.field("minimum-calls");
        Integer minimumCalls = minimumField.whole(base.minimumCalls(), Bound.atLeast(1));
        Integer slowCallRate = s.field("slow-call-rate").whole(base.slowCallRate(), PERCENT);
        Duration slowCallDuration = s.field("slow-call-duration").duration(base.slowCallDuration(), true);
        Duration openFor = s.field("open-for").duration(base.openFor(), true);
        Integer halfOpenCalls = s.field("half-open-calls").whole(base.halfOpenCalls(), Bound.atLeast(1));
        Field successField = s.field("success-threshold");
        Integer successThreshold = successField.whole(null, Bound.atLeast(1));
        if (window != null && minimumCalls != null && minimumCalls > window) {
            minimumField.problem("must be at most window (" + window + "), but was " + minimumCalls);
        }
        if (halfOpenCalls != null && successThreshold != null && successThreshold > halfOpenCalls) {
            successField.problem("must be at most half-open-calls (" + halfOpenCalls + "), but was "
                    + successThreshold);
        }
        s.finish();
        if (s.problemCount() > mark) {
            return null;
        }
        BreakerPolicy.Builder b = base.toBuilder().failureRate(failureRate).failureCount(failureCount)
                .window(window).minimumCalls(minimumCalls).slowCallRate(slowCallRate)
                .slowCallDuration(slowCallDuration).openFor(openFor).halfOpenCalls(halfOpenCalls);
        if (successThreshold != null) {
            b.successThreshold(successThreshold);
        } else if (base.successThreshold() > halfOpenCalls) {
            b.successThreshold(halfOpenCalls);
        }
        return b.build();
    }

    /** A retry section read over {@code base}. */
    static RetryPolicy retry(Field field, RetryPolicy base) {
        Section s = field.section();
        int mark = s.problemCount();
        Integer maxAttempts = s.field("max-attempts").whole(base.maxAttempts(), Bound.atLeast(1));
        Backoff backoff = s.field("backoff").choice(Backoff.values(), Backoff::wire, base.backoff());
        Duration initialDelay = s.field("initial-delay").duration(base.initialDelay(), true);
        BigDecimal multiplier = s.field("multiplier").number(BigDecimal.valueOf(base.multiplier()),
                Bound.atLeast(1));
        Field maxDelayField = s.field("max-delay");
        Duration maxDelay = maxDelayField.duration(base.maxDelay(), true);
        BigDecimal jitter = s.field("jitter").number(BigDecimal.valueOf(base.jitter()),
                Bound.between("0", true, "1", false));
        if (initialDelay != null && maxDelay != null && maxDelay.compareTo(initialDelay) < 0) {
            maxDelayField.problem("must be at least initial-delay (" + DurationFormat.format(initialDelay)
                    + "), but was " + DurationFormat.format(maxDelay));
        }
        s.finish();
        if (s.problemCount() > mark) {
            return null;
        }
        return base.toBuilder().maxAttempts(maxAttempts).backoff(backoff).initialDelay(initialDelay)
                .multiplier(multiplier.doubleValue()).maxDelay(maxDelay).jitter(jitter.doubleValue()).build();
    }

    /** Absent: the defaults; {@code enabled: false}: no budget. */
    private static RetryBudgetPolicy budget(Field field) {
        Section s = field.section();
        int mark = s.problemCount();
        Boolean enabled = s.field("enabled").choice(FLAGS, String::valueOf, Boolean.TRUE);
        BigDecimal ratio = s.field("ratio").number(BigDecimal.valueOf(RetryBudgetPolicy.DEFAULT_RATIO),
                Bound.between("0", true, "10", true));
        Field windowField = s.field("window");
        Duration window = windowField.duration(RetryBudgetPolicy.DEFAULT_WINDOW, true);
        Integer minimum = s.field("minimum-retries").whole(RetryBudgetPolicy.DEFAULT_MINIMUM_RETRIES,
                Bound.atLeast(0));
        if (window != null && window.toMillis() < 10) {
            windowField.problem("must be at least 10ms, but was " + DurationFormat.format(window));
        }
        s.finish();
        if (s.problemCount() > mark || !Boolean.TRUE.equals(enabled)) {
            return null;
        }
        return RetryBudgetPolicy.builder().ratio(ratio.doubleValue()).window(window).minimumRetries(minimum).build();
    }

    /** Absent: no limit. {@code scope} (broker | account) defaults to the broker's published limit's. */
    private static RateLimitPolicy rateLimit(Field field, RateLimitPolicy.Scope defaultScope) {
        if (!field.present()) {
            return null;
        }
        Section s = field.section();
        int mark = s.problemCount();
        Integer calls = s.field("calls").require("a whole number of calls").whole(null,
                Bound.between("1", true, "100000", true));
        Duration per = s.field("per").require(DurationFormat.EXPECTED).duration(null, true);
        Duration maxWait = s.field("max-wait").duration(RateLimitPolicy.DEFAULT_MAX_WAIT, false);
        RateLimitPolicy.Scope scope = s.field("scope").choice(RateLimitPolicy.Scope.values(),
                v -> v.name().toLowerCase(Locale.ROOT), defaultScope);
        s.finish();
        if (s.problemCount() > mark) {
            return null;
        }
        return RateLimitPolicy.builder().calls(calls).per(per).maxWait(maxWait).scope(scope).build();
    }

    private static BulkheadPolicy bulkhead(Field field) {
        Section s = field.section();
        int mark = s.problemCount();
        Integer max = s.field("max-concurrent").whole(BulkheadPolicy.DEFAULT_MAX_CONCURRENT, Bound.atLeast(1));
        Field perAccountField = s.field("per-account");
        Integer perAccount = perAccountField.whole(0, Bound.atLeast(0));
        if (max != null && perAccount != null && perAccount > max) {
            perAccountField.problem("must be at most max-concurrent (" + max + "), but was " + perAccount);
        }
        s.finish();
        if (s.problemCount() > mark) {
            return null;
        }
        return BulkheadPolicy.builder().maxConcurrent(max).perAccount(perAccount).build();
    }
}
