package dev.keel.core.execution;

import dev.keel.core.broker.Broker;
import dev.keel.core.broker.BrokerException;
import dev.keel.core.broker.Delivery;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.ErrorContext;
import dev.keel.core.journal.CallsRefused;
import dev.keel.core.journal.Journal;
import dev.keel.core.time.Sleeper;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * The resilience of one broker, shared by every account on it: its policies, its retry budget, its rate limiter, its
 * bulkhead and the journal of what they did (stream {@code broker:NAME}). {@link #gateway} gives each account its
 * {@link BrokerGateway}, with the account's own circuit breakers per endpoint (and per connection, with a backup).
 */
public final class BrokerResilience {
    private final String name;
    private final ResiliencePolicies policies;
    private final Clock clock;
    private final Sleeper sleeper;
    private final ResilienceEvents events;
    private final RetryBudget budget;
    /** The broker's one limiter when its rate limit is counted per broker; null otherwise. */
    private final BrokerRateLimiter limiter;
    /** Each account's own limiter when the rate limit is counted per account (one key pair each). */
    private final Map<String, BrokerRateLimiter> accountLimiters = new ConcurrentHashMap<>();
    private final Bulkhead bulkhead;
    /** True for a single handed-in breaker: no budget, limiter, bulkhead or 429 pause. */
    private final boolean bare;
    /** The end of a 429 pause when there is no rate limiter to hold it; guarded by {@code this}. */
    private Instant pausedUntil = Instant.MIN;

    /**
     * @param name     the broker's name: the journal stream is {@code broker:NAME}, the metrics' {@code broker} tag
     * @param journal  where state changes and refusal counts are journaled; null to count them only
     * @param meters   where every decision is counted; null for no metrics
     * @param clock    time of breakers, budget and limiter (law 11)
     * @param sleeper  how a call waits for a rate-limit permit
     */
    public BrokerResilience(String name, ResiliencePolicies policies, Journal journal, MeterRegistry meters,
                            Clock clock, Sleeper sleeper) {
        this.name = Objects.requireNonNull(name, "name");
        this.policies = Objects.requireNonNull(policies, "policies");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.events = new ResilienceEvents(name, journal, meters, clock, policies.summaryInterval());
        this.budget = policies.budget() == null ? null : policies.budget().create(clock);
        this.limiter = policies.rateLimit() == null || policies.rateLimit().scope() != RateLimitPolicy.Scope.BROKER
                ? null : policies.rateLimit().create(clock);
        this.bulkhead = policies.bulkhead().create(name, policies.bulkhead().maxConcurrent());
        this.bare = false;
    }

    /** What a gateway built from a single breaker has: that breaker's rules, no budget, limiter or bulkhead. */
    private BrokerResilience(String name, RetryPolicy retry, Clock clock, Sleeper sleeper) {
        this.name = name;
        this.policies = ResiliencePolicies.builder().retry(retry).budget(null).build();
        this.clock = clock;
        this.sleeper = sleeper;
        this.events = new ResilienceEvents(name, null, null, clock, policies.summaryInterval());
        this.budget = null;
        this.limiter = null;
        this.bulkhead = null;
        this.bare = true;
    }

    static BrokerResilience bare(String name, RetryPolicy retry, Clock clock, Sleeper sleeper) {
        return new BrokerResilience(name, retry, clock, sleeper);
    }

    /** The gateway of {@code accountId} on this broker, every call through its breakers and this broker's guards. */
    public BrokerGateway gateway(String accountId, Broker broker, RandomGenerator random) {
        return new BrokerGateway(this, accountId, broker, null, random);
    }

    /**
     * The gateway of {@code accountId} with a backup connection: an endpoint's calls move to {@code backup} when the
     * primary's breaker for it opens, and back when the primary answers its health probe after the open period.
     */
    public BrokerGateway gateway(String accountId, Broker primary, Broker backup, RandomGenerator random) {
        return new BrokerGateway(this, accountId, primary, Objects.requireNonNull(backup, "backup"), random);
    }

    public String name() {
        return name;
    }

    public ResiliencePolicies policies() {
        return policies;
    }

    /** The shared retry budget, or null when retries are not budgeted. */
    public RetryBudget budget() {
        return budget;
    }

    /**
     * The rate limiter that counts {@code accountId}'s calls: the broker's shared one, or the account's own when the
     * limit is counted per account; null when the broker has no limit.
     */
    public BrokerRateLimiter rateLimiter(String accountId) {
        RateLimitPolicy policy = policies.rateLimit();
        if (bare || policy == null) {
            return null;
        }
        return policy.scope() == RateLimitPolicy.Scope.BROKER ? limiter
                : accountLimiters.computeIfAbsent(accountId, a -> policy.create(clock));
    }

    /** Journals the refusal and delay counts not yet journaled (at shutdown, or before a status report). */
    public void flush() {
        events.flush();
    }

    Clock clock() {
        return clock;
    }

    Sleeper sleeper() {
        return sleeper;
    }

    ResilienceEvents events() {
        return events;
    }

    /** The account's own bulkhead, or null when accounts share the broker's only. */
    Bulkhead accountBulkhead(String accountId) {
        int limit = policies.bulkhead().perAccount();
        return bulkhead == null || limit == 0 ? null : policies.bulkhead().create(name + ":" + accountId, limit);
    }

    /**
     * Lets one call through the rate limiter (waiting for a permit when it is near) and the bulkheads, and counts it
     * as sent; otherwise refuses it, counted, with an exception whose delivery is NOT_PROCESSED.
     */
    void admit(String accountId, Endpoint endpoint, Bulkhead account) {
        BrokerRateLimiter limiter = rateLimiter(accountId);
        if (limiter != null) {
            Duration wait = limiter.reserve();
            if (wait == null) {
                events.refused(accountId, endpoint, CallsRefused.Reason.RATE_LIMIT);
                throw refusal(ErrorCode.RATE_LIMITED, accountId, "rate limit of broker '" + name + "' ("
                        + limiter.policy().calls() + " calls per " + limiter.policy().per()
                        + (limiter.policy().scope() == RateLimitPolicy.Scope.ACCOUNT ? " for account " + accountId
                        : "")
                        + ") has no permit within " + limiter.policy().maxWait() + "; the call was not sent",
                        limiter.untilFree());
            }
            if (!wait.isZero()) {
                events.delayed(wait);
                sleeper.sleep(wait);
            }
        } else if (!bare) {
            awaitPause(accountId, endpoint);
        }
        if (account != null && !account.tryAcquirePermission()) {
            events.refused(accountId, endpoint, CallsRefused.Reason.BULKHEAD);
            throw refusal(ErrorCode.BULKHEAD_FULL, accountId, "account " + accountId + " already has "
                    + policies.bulkhead().perAccount() + " calls in flight to '" + name + "'; the call was not sent",
                    null);
        }
        if (bulkhead != null && !bulkhead.tryAcquirePermission()) {
            if (account != null) {
                account.onComplete();
            }
            events.refused(accountId, endpoint, CallsRefused.Reason.BULKHEAD);
            throw refusal(ErrorCode.BULKHEAD_FULL, accountId, "broker '" + name + "' already has "
                    + policies.bulkhead().maxConcurrent() + " calls in flight; the call was not sent", null);
        }
        if (budget != null) {
            budget.recordCall();
        }
    }

    private void awaitPause(String accountId, Endpoint endpoint) {
        Instant now = clock.instant();
        Duration wait;
        synchronized (this) {
            if (!now.isBefore(pausedUntil)) {
                return;
            }
            wait = Duration.between(now, pausedUntil);
        }
        if (wait.compareTo(RateLimitPolicy.DEFAULT_MAX_WAIT) > 0) {
            events.refused(accountId, endpoint, CallsRefused.Reason.RATE_LIMIT);
            throw refusal(ErrorCode.RATE_LIMITED, accountId, "broker '" + name + "' asked Keel to wait until "
                    + pausedUntil + "; the call was not sent", wait);
        }
        events.delayed(wait);
        sleeper.sleep(wait);
    }

    /** Ends a call {@link #admit} let through. */
    void done(Bulkhead account) {
        if (bulkhead != null) {
            bulkhead.onComplete();
        }
        if (account != null) {
            account.onComplete();
        }
    }

    /** Whether a health probe may be sent now: a rate-limit permit free at once. Probes wait for nothing. */
    boolean admitProbe(String accountId) {
        BrokerRateLimiter limiter = rateLimiter(accountId);
        return limiter == null || limiter.tryNow();
    }

    /** Takes one retry from the budget; a refusal is counted and journaled. */
    boolean tryRetry(String accountId, Endpoint endpoint) {
        if (budget != null && !budget.tryRetry()) {
            events.refused(accountId, endpoint, CallsRefused.Reason.RETRY_BUDGET);
            return false;
        }
        events.retried(endpoint);
        return true;
    }

    /**
     * The broker answered 429: with a Retry-After, the calls its limiter counts (every account's, or this account's
     * when the limit is per account) wait until it has passed.
     */
    void rateLimited(String accountId, BrokerException e) {
        if (bare || e.retryAfter() == null || e.retryAfter().isZero() || e.retryAfter().isNegative()) {
            return;
        }
        Instant until;
        BrokerRateLimiter limiter = rateLimiter(accountId);
        if (limiter != null) {
            until = limiter.pause(e.retryAfter());
        } else {
            synchronized (this) {
                Instant end = clock.instant().plus(e.retryAfter());
                until = end.isAfter(pausedUntil) ? end : null;
                if (until != null) {
                    pausedUntil = end;
                }
            }
        }
        if (until != null) {
            events.paused(accountId, e.retryAfter(), until);
        }
    }

    static BrokerException refusal(ErrorCode code, String accountId, String message, Duration retryAfter) {
        return new BrokerException(code, Delivery.NOT_PROCESSED, message, null, null, retryAfter, null,
                ErrorContext.of(null, accountId, null), null);
    }
}
