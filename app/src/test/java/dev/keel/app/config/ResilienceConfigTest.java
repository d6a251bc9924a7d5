package dev.keel.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.keel.core.execution.Backoff;
import dev.keel.core.execution.BreakerPolicy;
import dev.keel.core.execution.Endpoint;
import dev.keel.core.execution.RateLimitPolicy;
import dev.keel.core.execution.ResiliencePolicies;
import dev.keel.core.execution.RetryBudgetPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResilienceConfigTest {
    @TempDir
    Path dir;

    private ResiliencePolicies load(String yaml) {
        return ConfigLoader.parse(yaml, Path.of("keel.yaml"), dir).resilience();
    }

    private List<String> problemsOf(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.parse(yaml, Path.of("keel.yaml"), dir));
        assertThat(e).as("expected the file to be refused").isNotNull();
        return e.getMessage().lines().toList();
    }

    @Test
    void theContractFileKeepsItsTopLevelRetryAndBreakerAsEveryEndpointsPolicy() {
        ResiliencePolicies p = load(ConfigFiles.contract());

        for (Endpoint e : Endpoint.values()) {
            BreakerPolicy b = p.breaker(e);
            assertThat(List.of(b.failureRate(), b.window(), b.minimumCalls(), b.halfOpenCalls()))
                    .containsExactly(50, 20, 10, 3);
            assertThat(b.openFor()).isEqualTo(Duration.ofSeconds(30));
            assertThat(p.retry(e).maxAttempts()).isEqualTo(4);
            assertThat(p.retry(e).backoff()).isEqualTo(Backoff.EXPONENTIAL);
        }
        assertThat(p.budget().ratio()).isEqualTo(RetryBudgetPolicy.DEFAULT_RATIO);
        assertThat(p.rateLimit()).isNull();
    }

    @Test
    void theResilienceSectionRefinesTheTopLevelKeysAndEachEndpointRefinesItKeyByKey() {
        ResiliencePolicies p = load(ConfigFiles.MINIMAL + """
                circuit-breaker: { failure-rate: 40, open-for: 20s }
                retry: { max-attempts: 5 }
                resilience:
                  circuit-breaker: { failure-count: 5, slow-call-rate: 80, slow-call-duration: 2s, success-threshold: 2 }
                  retry: { backoff: fibonacci, jitter: 0.25 }
                  retry-budget: { ratio: 0.1, window: 30s, minimum-retries: 2 }
                  rate-limit: { calls: 200, per: 60s, max-wait: 5s }
                  bulkhead: { max-concurrent: 4, per-account: 2 }
                  endpoints:
                    submit: { circuit-breaker: { failure-count: 2 }, retry: { max-attempts: 2, backoff: fixed } }
                    lookup: { retry: { backoff: linear } }
                """);

        BreakerPolicy reads = p.breaker(Endpoint.READS);
        assertThat(List.of(reads.failureRate(), reads.failureCount(), reads.slowCallRate(), reads.successThreshold()))
                .containsExactly(40, 5, 80, 2);
        assertThat(reads.openFor()).isEqualTo(Duration.ofSeconds(20));
        assertThat(p.breaker(Endpoint.SUBMIT).failureCount()).isEqualTo(2);
        assertThat(p.breaker(Endpoint.SUBMIT).slowCallDuration()).isEqualTo(Duration.ofSeconds(2));
        assertThat(p.retry(Endpoint.READS).maxAttempts()).isEqualTo(5);
        assertThat(p.retry(Endpoint.READS).backoff()).isEqualTo(Backoff.FIBONACCI);
        assertThat(p.retry(Endpoint.SUBMIT).maxAttempts()).isEqualTo(2);
        assertThat(p.retry(Endpoint.SUBMIT).backoff()).isEqualTo(Backoff.FIXED);
        assertThat(p.retry(Endpoint.SUBMIT).jitter()).isEqualTo(0.25);
        assertThat(p.retry(Endpoint.LOOKUP).backoff()).isEqualTo(Backoff.LINEAR);
        assertThat(p.budget().window()).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.rateLimit().calls()).isEqualTo(200);
        assertThat(p.rateLimit().maxWait()).isEqualTo(Duration.ofSeconds(5));
        assertThat(p.rateLimit().scope()).as("counted per broker unless the broker counts per key")
                .isEqualTo(RateLimitPolicy.Scope.BROKER);
        assertThat(p.bulkhead().perAccount()).isEqualTo(2);
    }

    @Test
    void aRateLimitCanBeCountedPerAccountForABrokerThatCountsPerKey() {
        ResiliencePolicies p = load(ConfigFiles.MINIMAL
                + "resilience: { rate-limit: { calls: 10, per: 1s, scope: account } }\n");

        assertThat(p.rateLimit().scope()).isEqualTo(RateLimitPolicy.Scope.ACCOUNT);
    }

    @Test
    void theBudgetCanBeTurnedOff() {
        assertThat(load(ConfigFiles.MINIMAL + "resilience: { retry-budget: { enabled: false } }\n").budget()).isNull();
    }

    @Test
    void aBackupEndpointIsReadWithItsOwnFaults() {
        KeelConfig config = ConfigLoader.parse(ConfigFiles.MINIMAL + """
                broker:
                  paper:
                    faults: [ { op: submit, kind: server-error, probability: 1.0 } ]
                    backup:
                      faults: [ { op: clock, kind: connection-reset, nth: 1 } ]
                """, Path.of("keel.yaml"), dir);

        assertThat(config.broker().paper().backupFaults()).singleElement()
                .satisfies(f -> assertThat(f.kind()).isEqualTo(FaultSettings.Kind.CONNECTION_RESET));
        assertThat(ConfigLoader.parse(ConfigFiles.MINIMAL, Path.of("keel.yaml"), dir).broker().paper().backupFaults())
                .isNull();
    }

    @Test
    void everyProblemNamesItsKeyAndBound() {
        List<String> problems = problemsOf(ConfigFiles.MINIMAL + """
                resilience:
                  circuit-breaker: { half-open-calls: 2, success-threshold: 3, slow-call-rate: 0 }
                  retry: { backoff: fibbonacci }
                  rate-limit: { per: 60s }
                  bulkhead: { max-concurrent: 2, per-account: 3 }
                  endpoints: { submitt: {} }
                """);

        assertThat(problems).containsExactly(
                "keel.yaml:5: resilience.circuit-breaker.slow-call-rate: must be in (0, 100], but was 0",
                "keel.yaml:5: resilience.circuit-breaker.success-threshold: must be at most half-open-calls (2), but"
                        + " was 3",
                "keel.yaml:6: resilience.retry.backoff: expected one of exponential, linear, fixed, fibonacci, but was"
                        + " 'fibbonacci'; did you mean 'fibonacci'?",
                "keel.yaml:7: resilience.rate-limit.calls: is missing; expected a whole number of calls",
                "keel.yaml:8: resilience.bulkhead.per-account: must be at most max-concurrent (2), but was 3",
                "keel.yaml:9: resilience.endpoints.submitt: unknown key; did you mean 'submit'?");
    }
}
