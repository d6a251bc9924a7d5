package dev.keel.app;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import dev.keel.app.config.DurationFormat;
import dev.keel.core.execution.BreakerPolicy;
import dev.keel.core.execution.Endpoint;
import dev.keel.core.execution.ResiliencePolicies;
import dev.keel.core.execution.RetryPolicy;
import java.io.IOException;
import java.util.Locale;

/** The {@code --json} shape of the resilience policies: the effective policy of every endpoint, in YAML's names. */
final class ResilienceJson extends JsonSerializer<ResiliencePolicies> {
    @Override
    public void serialize(ResiliencePolicies p, JsonGenerator gen, SerializerProvider serializers) throws IOException {
        gen.writeStartObject();
        gen.writeObjectFieldStart("endpoints");
        for (Endpoint e : Endpoint.values()) {
            gen.writeObjectFieldStart(e.wire());
            breaker(gen, p.breaker(e));
            retry(gen, p.retry(e));
            gen.writeEndObject();
        }
        gen.writeEndObject();
        if (p.budget() == null) {
            gen.writeNullField("retry-budget");
        } else {
            gen.writeObjectFieldStart("retry-budget");
            gen.writeNumberField("ratio", p.budget().ratio());
            gen.writeStringField("window", DurationFormat.format(p.budget().window()));
            gen.writeNumberField("minimum-retries", p.budget().minimumRetries());
            gen.writeEndObject();
        }
        if (p.rateLimit() == null) {
            gen.writeNullField("rate-limit");
        } else {
            gen.writeObjectFieldStart("rate-limit");
            gen.writeNumberField("calls", p.rateLimit().calls());
            gen.writeStringField("per", DurationFormat.format(p.rateLimit().per()));
            gen.writeStringField("max-wait", DurationFormat.format(p.rateLimit().maxWait()));
            gen.writeStringField("scope", p.rateLimit().scope().name().toLowerCase(Locale.ROOT));
            gen.writeEndObject();
        }
        gen.writeObjectFieldStart("bulkhead");
        gen.writeNumberField("max-concurrent", p.bulkhead().maxConcurrent());
        gen.writeNumberField("per-account", p.bulkhead().perAccount());
        gen.writeEndObject();
        gen.writeEndObject();
    }

    private static void breaker(JsonGenerator gen, BreakerPolicy b) throws IOException {
        gen.writeObjectFieldStart("circuit-breaker");
        gen.writeNumberField("failure-rate", b.failureRate());
        gen.writeNumberField("failure-count", b.failureCount());
        gen.writeNumberField("window", b.window());
        gen.writeNumberField("minimum-calls", b.minimumCalls());
        gen.writeNumberField("slow-call-rate", b.slowCallRate());
        gen.writeStringField("slow-call-duration", DurationFormat.format(b.slowCallDuration()));
        gen.writeStringField("open-for", DurationFormat.format(b.openFor()));
        gen.writeNumberField("half-open-calls", b.halfOpenCalls());
        gen.writeNumberField("success-threshold", b.successThreshold());
        gen.writeEndObject();
    }

    private static void retry(JsonGenerator gen, RetryPolicy r) throws IOException {
        gen.writeObjectFieldStart("retry");
        gen.writeNumberField("max-attempts", r.maxAttempts());
        gen.writeStringField("backoff", r.backoff().wire());
        gen.writeStringField("initial-delay", DurationFormat.format(r.initialDelay()));
        gen.writeNumberField("multiplier", r.multiplier());
        gen.writeStringField("max-delay", DurationFormat.format(r.maxDelay()));
        gen.writeNumberField("jitter", r.jitter());
        gen.writeEndObject();
    }
}
