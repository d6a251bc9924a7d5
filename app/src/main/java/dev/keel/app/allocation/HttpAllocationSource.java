package dev.keel.app.allocation;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.keel.core.allocation.AllocationEntry;
import dev.keel.core.allocation.AllocationValidator;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.ErrorContext;
import dev.keel.core.error.KeelException;
import dev.keel.core.rebalance.AllocationSource;
import dev.keel.core.rebalance.TargetAllocation;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An account's allocation from an HTTP service: one GET answered with
 * {@code {"account": "main", "allocations": [{"symbol": "VTI", "weight": 0.30}, ...]}} ({@code account} optional,
 * other fields ignored). A timeout, a refused connection, HTTP 408, 429 or 5xx is
 * {@link ErrorCode#ALLOCATION_UNAVAILABLE}; any other status, a body over {@link #MAX_BYTES}, JSON that is not that
 * shape (duplicate keys included) or weights the {@link AllocationValidator} refuses is
 * {@link ErrorCode#ALLOCATION_INVALID}. One attempt per call: retries and the breaker are
 * {@link dev.keel.core.allocation.GuardedAllocationSource}'s.
 */
public final class HttpAllocationSource implements AllocationSource, AutoCloseable {
    /** The largest answer read: 64 KiB. */
    public static final int MAX_BYTES = 64 * 1024;
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES) // a weight keeps the scale it was sent with
            .build();

    private final String accountId;
    private final URI url;
    private final Duration timeout;
    private final AllocationValidator validator;
    private final HttpClient client;

    /**
     * @param timeout how long connecting, and then the answer's headers, may each take
     */
    public HttpAllocationSource(String accountId, URI url, Duration timeout, AllocationValidator validator) {
        this.accountId = Objects.requireNonNull(accountId, "accountId");
        this.url = Objects.requireNonNull(url, "url");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.validator = Objects.requireNonNull(validator, "validator");
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public String name() {
        return url.toString();
    }

    @Override
    public TargetAllocation fetch() {
        HttpRequest request = HttpRequest.newBuilder(url).GET().timeout(timeout)
                .header("Accept", "application/json").build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw unavailable("no answer within " + timeout, e);
        } catch (ConnectException e) {
            throw unavailable("cannot connect (" + e.getClass().getSimpleName() + ")", e);
        } catch (IOException e) {
            throw unavailable("the request failed: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while waiting for the answer", e);
        }
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            if (status == 408 || status == 429 || status >= 500) {
                throw unavailable("answered HTTP " + status, null);
            }
            if (status != 200) {
                throw invalid("answered HTTP " + status + ", expected 200");
            }
            byte[] bytes = body.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw invalid("the answer is larger than " + MAX_BYTES + " bytes");
            }
            return validator.validate(name(), entries(bytes));
        } catch (IOException e) {
            throw unavailable("the answer broke off: " + e.getClass().getSimpleName(), e);
        }
    }

    private List<AllocationEntry> entries(byte[] bytes) {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw invalid("the answer is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw invalid("the answer cannot be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw invalid("expected a JSON object with an 'allocations' list");
        }
        JsonNode account = root.get("account");
        if (account != null && !(account.isTextual() && account.asText().equals(accountId))) {
            throw invalid("the answer is for account " + account + ", not '" + accountId + "'");
        }
        JsonNode lines = root.get("allocations");
        if (lines == null || !lines.isArray()) {
            throw invalid("expected 'allocations' to be a list of {\"symbol\": ..., \"weight\": ...}");
        }
        List<AllocationEntry> entries = new ArrayList<>();
        for (JsonNode line : lines) {
            JsonNode symbol = line.get("symbol");
            JsonNode weight = line.get("weight");
            if (!line.isObject() || symbol == null || !symbol.isTextual() || weight != null && !weight.isNumber()) {
                throw invalid("expected each allocation as {\"symbol\": \"VTI\", \"weight\": 0.3}, but got " + line);
            }
            entries.add(new AllocationEntry(symbol.asText(), weight == null ? null : weight.decimalValue()));
        }
        return entries;
    }

    private KeelException unavailable(String why, Throwable cause) {
        return new KeelException(ErrorCode.ALLOCATION_UNAVAILABLE, name() + ": " + why,
                ErrorContext.of(null, accountId, null), cause);
    }

    private KeelException invalid(String why) {
        return new KeelException(ErrorCode.ALLOCATION_INVALID, name() + ": " + why,
                ErrorContext.of(null, accountId, null), null);
    }

    @Override
    public void close() {
        client.close();
    }
}
