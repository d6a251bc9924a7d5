package dev.keel.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.engine.AccountRuntime;
import dev.keel.core.engine.Engine;
import dev.keel.core.execution.BreakerPolicy;
import dev.keel.core.execution.BrokerGateway;
import dev.keel.core.execution.BrokerResilience;
import dev.keel.core.execution.Endpoint;
import dev.keel.core.execution.ExecutionSettings;
import dev.keel.core.execution.FailoverBroker;
import dev.keel.core.execution.OrderExecutor;
import dev.keel.core.execution.RateLimitPolicy;
import dev.keel.core.execution.ResiliencePolicies;
import dev.keel.core.execution.RetryBudgetPolicy;
import dev.keel.core.journal.BreakerTransitioned;
import dev.keel.core.journal.CallsRefused;
import dev.keel.core.journal.EndpointSwitched;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.MemoryJournal;
import dev.keel.core.model.Symbol;
import dev.keel.core.model.TransactionStatus;
import dev.keel.core.notify.Notification;
import dev.keel.core.notify.NotificationChannel;
import dev.keel.core.notify.Outbox;
import dev.keel.core.rebalance.ProgressListener;
import dev.keel.core.rebalance.RebalanceAccount;
import dev.keel.core.rebalance.RebalanceOutcome;
import dev.keel.core.risk.RiskLimits;
import dev.keel.core.time.ManualClock;
import dev.keel.paper.FaultRecord;
import dev.keel.paper.FaultRule;
import dev.keel.paper.PaperConfig;
import dev.keel.paper.PaperEndpoint;
import dev.keel.paper.PaperExchange;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Broker outages ridden out by the resilience policies, on the paper exchange and simulated time: the retry budget
 * capping traffic, the rate limit shared by accounts, failover to a backup endpoint and back.
 */
class OutageScenariosTest {
    private static final List<String> ACCOUNTS = List.of("alice", "bob", "carol");
    private static final int ATTEMPTS = 20;
    /** A breaker that never opens within these runs, to see what the budget alone does. */
    private static final BreakerPolicy NO_BREAKER = BreakerPolicy.builder().failureRate(100).window(10_000)
            .minimumCalls(10_000).build();

    private final ManualClock clock = new ManualClock(Harness.START);
    private final MemoryJournal journal = new MemoryJournal();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private BrokerResilience resilience;
    private Engine engine;

    private PaperExchange exchange(List<FaultRule> faults) {
        PaperConfig config = PaperConfig.builder().seed(42).startingCash(new BigDecimal("10000.00"))
                .startingPosition(Symbol.of("VTI"), new BigDecimal("50"))
                .startingPosition(Symbol.of("TLT"), new BigDecimal("10"))
                .price(Symbol.of("VTI"), new BigDecimal("250.00")).price(Symbol.of("TLT"), new BigDecimal("90.00"))
                .price(Symbol.of("IEF"), new BigDecimal("95.00")).price(Symbol.of("GLD"), new BigDecimal("185.00"))
                .price(Symbol.of("DBC"), new BigDecimal("22.00")).faults(faults).build();
        return new PaperExchange(config, clock, clock);
    }

    private Engine engine(List<BrokerGateway> gateways) {
        List<AccountRuntime> accounts = new ArrayList<>();
        for (BrokerGateway g : gateways) {
            OrderExecutor executor = new OrderExecutor(g, Harness.settings(), clock, clock, new SplittableRandom(11));
            accounts.add(new AccountRuntime(new RebalanceAccount(g.accountId(), Harness.allWeather(),
                    RiskLimits.DEFAULTS), executor));
        }
        NotificationChannel quiet = new NotificationChannel() {
            @Override
            public String name() {
                return "quiet";
            }

            @Override
            public void send(Notification n) {
                // nobody listens in this test
            }
        };
        Outbox outbox = Outbox.builder(journal, clock, new SplittableRandom(3)).channel(quiet).build();
        AtomicInteger tx = new AtomicInteger();
        return new Engine(journal, accounts, outbox, clock, () -> "tx-" + tx.incrementAndGet(), Duration.ZERO);
    }

    /** {@value #ATTEMPTS} rebalances of each account a minute apart while every call fails; the calls the exchange got. */
    private int outageTraffic(ResiliencePolicies policies) {
        PaperExchange exchange = exchange(List.of(FaultRule.serverError().withProbability(1.0)));
        resilience = new BrokerResilience("paper", policies, journal, meters, clock, clock);
        List<BrokerGateway> gateways = ACCOUNTS.stream()
                .map(a -> resilience.gateway(a, exchange.broker(a), new SplittableRandom(a.hashCode()))).toList();
        engine = engine(gateways);
        for (int i = 0; i < ATTEMPTS; i++) {
            for (String account : ACCOUNTS) {
                RebalanceOutcome outcome = engine.rebalance(account, null, ProgressListener.NONE);
                assertThat(outcome.status()).isNotEqualTo(TransactionStatus.COMPLETED);
            }
            clock.advance(Duration.ofMinutes(1));
        }
        resilience.flush();
        return exchange.callCounts().values().stream().mapToInt(Integer::intValue).sum();
    }

    @Test
    void theRetryBudgetCapsTheTrafficOfAFullOutageWithoutABreaker() {
        int unbudgeted = outageTraffic(ResiliencePolicies.builder().breaker(NO_BREAKER).budget(null).build());
        int budgeted = new OutageScenariosTest().outageTraffic(ResiliencePolicies.builder().breaker(NO_BREAKER).build());

        System.out.printf("full outage, %d rebalances x %d accounts, no breaker: %d calls without the retry budget,"
                + " %d with it%n", ATTEMPTS, ACCOUNTS.size(), unbudgeted, budgeted);
        int firstAttempts = ATTEMPTS * ACCOUNTS.size();
        assertThat(unbudgeted).as("every read tried 4 times").isEqualTo(4 * firstAttempts);
        assertThat(budgeted).as("retries add at most 20 %% of the calls, plus 3 a minute")
                .isLessThanOrEqualTo((int) (firstAttempts * 1.2) + 3 * ATTEMPTS);
    }

    @Test
    void withBreakersTheBudgetStillTrimsTheRetriesOfTheFirstMinutesAndRefusalsAreJournaledAsCounts() {
        int unbudgeted = outageTraffic(ResiliencePolicies.builder().budget(null).build());
        OutageScenariosTest budgetedRun = new OutageScenariosTest();
        int budgeted = budgetedRun.outageTraffic(ResiliencePolicies.defaults());

        System.out.printf("full outage, %d rebalances x %d accounts, default breakers: %d calls without the retry"
                + " budget, %d with it%n", ATTEMPTS, ACCOUNTS.size(), unbudgeted, budgeted);
        assertThat(budgeted).isLessThan(unbudgeted);
        List<String> opened = budgetedRun.journal.all().stream().map(JournalRecord::event)
                .filter(BreakerTransitioned.class::isInstance).map(BreakerTransitioned.class::cast)
                .filter(t -> t.to().equals("OPEN") && t.from().equals("CLOSED"))
                .map(BreakerTransitioned::accountId).toList();
        assertThat(opened).as("each account's reads breaker opened").containsExactlyInAnyOrderElementsOf(ACCOUNTS);
        assertThat(budgetedRun.refusalsThenEvents()).satisfies(r -> assertThat(r[1]).as("counts, not one event per"
                + " refusal: %s", java.util.Arrays.toString(r)).isLessThanOrEqualTo(2).isLessThan(r[0] / 10));
    }

    /** 30 more rebalances at one instant of the outage: how many refusals were counted and journaled as events. */
    private long[] refusalsThenEvents() {
        long eventsBefore = journal.all().stream().map(JournalRecord::event).filter(CallsRefused.class::isInstance)
                .count();
        double refusalsBefore = meters.find("keel.broker.calls.refused").counters().stream()
                .mapToDouble(c -> c.count()).sum();
        for (int i = 0; i < 30; i++) {
            engine.rebalance("alice", null, ProgressListener.NONE);
        }
        resilience.flush();
        long events = journal.all().stream().map(JournalRecord::event).filter(CallsRefused.class::isInstance).count();
        double refusals = meters.find("keel.broker.calls.refused").counters().stream().mapToDouble(c -> c.count())
                .sum();
        return new long[] {(long) (refusals - refusalsBefore), events - eventsBefore};
    }

    @Test
    void twoAccountsOnOneBrokerNeverExceedItsRateLimitInAnyWindowOfTheExchangesCallLog() {
        // a zero-length slow fault on every call makes the exchange log each call with its time
        PaperExchange exchange = exchange(List.of(FaultRule.slow(Duration.ZERO)));
        RateLimitPolicy limit = RateLimitPolicy.builder().calls(10).per(Duration.ofSeconds(1)).build();
        BrokerResilience resilience = new BrokerResilience("paper", ResiliencePolicies.builder().rateLimit(limit)
                .build(), journal, meters, clock, clock);
        Engine engine = engine(List.of(resilience.gateway("alice", exchange.broker("alice"), new SplittableRandom(1)),
                resilience.gateway("bob", exchange.broker("bob"), new SplittableRandom(2))));

        for (int i = 0; i < 3; i++) {
            assertThat(engine.rebalance("alice", null, ProgressListener.NONE).status())
                    .isEqualTo(TransactionStatus.COMPLETED);
            assertThat(engine.rebalance("bob", null, ProgressListener.NONE).status())
                    .isEqualTo(TransactionStatus.COMPLETED);
            exchange.setPrice(Symbol.of("VTI"), new BigDecimal(i % 2 == 0 ? "300.00" : "250.00"));
        }

        List<Instant> calls = exchange.faultsFired().stream().map(FaultRecord::at).sorted().toList();
        assertThat(exchange.faultsFired()).extracting(FaultRecord::accountId).contains("alice", "bob");
        assertThat(calls.size()).isGreaterThan(30);
        for (int i = 10; i < calls.size(); i++) {
            assertThat(Duration.between(calls.get(i - 10), calls.get(i))).as("call %d and the 10th before it", i)
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        }
    }

    @Test
    void anOutageOfThePrimaryFailsOverToTheBackupEndpointAndBackOnceItRecovers() {
        PaperExchange exchange = exchange(List.of(FaultRule.serverError().withTimes(6)));
        PaperEndpoint backup = exchange.endpoint("backup", List.of());
        BreakerPolicy breaker = BreakerPolicy.builder().failureCount(2).openFor(Duration.ofSeconds(30))
                .halfOpenCalls(1).build();
        // A budget with room for the sell's resubmit after its 503s: that resubmit is a retry and takes from the
        // budget, which the default minimum (3 a minute) would already have spent on the primary's failed reads.
        BrokerResilience resilience = new BrokerResilience("paper", ResiliencePolicies.builder().breaker(breaker)
                .budget(RetryBudgetPolicy.builder().minimumRetries(10).build()).build(), journal, meters, clock,
                clock);
        BrokerGateway gateway = resilience.gateway("alice", exchange.broker("alice"), backup.broker("alice"),
                new SplittableRandom(1));
        Engine engine = engine(List.of(gateway));

        RebalanceOutcome during = engine.rebalance("alice", null, ProgressListener.NONE);
        assertThat(gateway.active(Endpoint.READS)).isEqualTo(FailoverBroker.Side.BACKUP);
        clock.advance(Duration.ofMinutes(1));
        gateway.probe();

        assertThat(during.status()).as("the backup carried the rebalance").isEqualTo(TransactionStatus.COMPLETED);
        assertThat(backup.callCounts()).containsKeys("account", "submit");
        assertThat(gateway.active(Endpoint.READS)).isEqualTo(FailoverBroker.Side.PRIMARY);
        assertThat(journal.all().stream().map(JournalRecord::event).filter(EndpointSwitched.class::isInstance)
                .map(e -> (EndpointSwitched) e).map(s -> s.endpoint() + " " + s.from() + "->" + s.to()).toList())
                .containsSubsequence("reads primary->backup", "reads backup->primary");
    }
}
