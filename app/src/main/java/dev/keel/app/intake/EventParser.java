package dev.keel.app.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.keel.core.events.Event;
import dev.keel.core.events.EventType;
import dev.keel.core.model.Symbol;
import dev.keel.core.rebalance.TargetAllocation;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads an event body, {@code {"event_id", "account_id", "type", "payload", "created_at"}}, and checks everything
 * that can be checked before the account's lease: size, JSON, the fields, a known account, a known type, weights that
 * sum to 1, an allocation URL over HTTP(S). What fails here can never pass later, so it goes straight to the dead
 * letters.
 */
public final class EventParser {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS)
            .build();

    private final Set<String> accounts;
    private final int maxPayload;
    private final Map<String, Set<String>> allocationHosts;

    /** A parser that accepts no allocation URL. */
    public EventParser(Set<String> accounts, int maxPayload) {
        this(accounts, maxPayload, Map.of());
    }

    /**
     * @param accounts        the accounts this worker runs; an event for another is rejected
     * @param maxPayload      the largest body accepted, in bytes (UTF-8)
     * @param allocationHosts per account, the hosts its events' {@code allocation_url} may name (lower case); an
     *                        account without an entry accepts none
     */
    public EventParser(Set<String> accounts, int maxPayload, Map<String, Set<String>> allocationHosts) {
        this.accounts = Set.copyOf(accounts);
        this.maxPayload = maxPayload;
        this.allocationHosts = Map.copyOf(allocationHosts);
    }

    /**
     * The parser for the configured {@code accounts}: an event's allocation URL may name the host of the account's
     * own allocation service or one of {@code events.allocation-hosts}.
     */
    public static EventParser of(dev.keel.app.config.KeelConfig config, java.util.Collection<String> accounts) {
        Map<String, Set<String>> hosts = new java.util.HashMap<>();
        for (String id : accounts) {
            Set<String> allowed = new java.util.TreeSet<>(config.events().allocationHosts());
            config.account(id).map(a -> a.allocation()).map(a -> a.url().getHost())
                    .ifPresent(h -> allowed.add(h.toLowerCase(java.util.Locale.ROOT)));
            hosts.put(id, allowed);
        }
        return new EventParser(new java.util.LinkedHashSet<>(accounts), config.events().maxPayload(), hosts);
    }

    /** The event in {@code body}, or why it cannot run. */
    public Event parse(String body) throws EventRejected {
        int size = body.getBytes(StandardCharsets.UTF_8).length;
        if (size > maxPayload) {
            throw new EventRejected("the event is " + size + " bytes, over the limit of " + maxPayload
                    + " (events.max-payload)");
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new EventRejected("not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new EventRejected("expected a JSON object {\"event_id\", \"account_id\", \"type\", ...}, but was "
                    + (root == null ? "empty" : root.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
        }
        String eventId = text(root, "event_id");
        String accountId = text(root, "account_id");
        String typeName = text(root, "type");
        if (!accounts.contains(accountId)) {
            throw new EventRejected("account_id '" + accountId + "' is not an account of this worker; configured: "
                    + String.join(", ", new java.util.TreeSet<>(accounts)));
        }
        EventType type = EventType.ofWire(typeName).orElseThrow(() -> new EventRejected("type '" + typeName
                + "' is unknown; expected one of: rebalance, reconcile"));
        Instant createdAt = createdAt(root);
        JsonNode payload = root.get("payload");
        if (payload == null || payload.isNull()) {
            return new Event(eventId, accountId, type, null, null, createdAt);
        }
        if (!payload.isObject()) {
            throw new EventRejected("payload must be a JSON object, but was "
                    + payload.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (type == EventType.RECONCILE && !payload.isEmpty()) {
            throw new EventRejected("a reconcile event takes no payload, but had: "
                    + String.join(", ", (Iterable<String>) payload::fieldNames));
        }
        for (Iterator<String> names = payload.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("targets") && !name.equals("allocation_url")) {
                throw new EventRejected("payload." + name + " is unknown; expected targets or allocation_url");
            }
        }
        if (payload.has("targets") && payload.has("allocation_url")) {
            throw new EventRejected("payload has both targets and allocation_url; give one");
        }
        if (payload.has("allocation_url")) {
            return new Event(eventId, accountId, type, null, allowed(accountId, allocationUrl(payload.get(
                    "allocation_url"))), createdAt);
        }
        return new Event(eventId, accountId, type, targets(payload.get("targets")), null, createdAt);
    }

    private static String text(JsonNode root, String field) throws EventRejected {
        JsonNode node = root.get(field);
        if (node == null || !node.isTextual() || node.asText().isBlank()) {
            throw new EventRejected(field + " must be a non-empty string, but was "
                    + (node == null ? "missing" : node.toString()));
        }
        return node.asText();
    }

    private static Instant createdAt(JsonNode root) throws EventRejected {
        JsonNode node = root.get("created_at");
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return Instant.parse(node.asText());
        } catch (DateTimeParseException e) {
            throw new EventRejected("created_at must be an ISO-8601 instant (2026-03-02T15:00:00Z), but was "
                    + node);
        }
    }

    private static SortedMap<String, BigDecimal> targets(JsonNode node) throws EventRejected {
        if (node == null || !node.isObject() || node.isEmpty()) {
            throw new EventRejected("payload.targets must be an object of weights by symbol, {\"VTI\": 0.6, ...},"
                    + " but was " + node);
        }
        SortedMap<String, BigDecimal> weights = new TreeMap<>();
        BigDecimal sum = BigDecimal.ZERO;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            try {
                Symbol.of(e.getKey());
            } catch (IllegalArgumentException bad) {
                throw new EventRejected("payload.targets: '" + e.getKey() + "' is not a symbol: " + bad.getMessage());
            }
            JsonNode w = e.getValue();
            BigDecimal weight = w.isNumber() ? w.decimalValue() : null;
            if (weight == null || weight.signum() <= 0 || weight.compareTo(BigDecimal.ONE) > 0) {
                throw new EventRejected("payload.targets." + e.getKey() + " must be a weight in (0, 1], but was "
                        + w);
            }
            weights.put(e.getKey(), weight);
            sum = sum.add(weight);
        }
        if (sum.subtract(BigDecimal.ONE).abs().compareTo(TargetAllocation.WEIGHT_TOLERANCE) > 0) {
            throw new EventRejected("payload.targets must sum to 1 (within "
                    + TargetAllocation.WEIGHT_TOLERANCE.toPlainString() + "), but sum to " + sum.toPlainString());
        }
        return weights;
    }

    /**
     * The URL, when its host is one the account's events may name: a worker fetches it, so an event must not be able
     * to point it anywhere (a cloud metadata address, a service inside the network).
     */
    private URI allowed(String accountId, URI url) throws EventRejected {
        Set<String> hosts = allocationHosts.getOrDefault(accountId, Set.of());
        if (hosts.contains(url.getHost().toLowerCase(java.util.Locale.ROOT))) {
            return url;
        }
        throw new EventRejected("payload.allocation_url names host '" + url.getHost() + "', which account '"
                + accountId + "' does not allow; " + (hosts.isEmpty() ? "it allows none"
                : "allowed: " + String.join(", ", new java.util.TreeSet<>(hosts)))
                + " (the host of the account's allocation service, and events.allocation-hosts)");
    }

    private static URI allocationUrl(JsonNode node) throws EventRejected {
        String text = node == null || !node.isTextual() ? null : node.asText();
        try {
            URI uri = text == null ? null : new URI(text);
            if (uri != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new EventRejected("payload.allocation_url must be an http(s) URL, but was " + node);
    }
}
