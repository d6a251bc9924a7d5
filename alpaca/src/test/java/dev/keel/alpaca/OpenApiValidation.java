package dev.keel.alpaca;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.ValidationReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks a request against Alpaca's OpenAPI document (a copy in the test resources, see PROVENANCE.md): path, query,
 * headers (the API key pair is the spec's security scheme) and body. Loaded once: the document is large.
 */
final class OpenApiValidation {
    private static final String SPEC = spec();
    private static final OpenApiInteractionValidator VALIDATOR = OpenApiInteractionValidator
            .createForInlineApiSpecification(SPEC)
            .build();
    /**
     * The headers of the document's global security requirement (the key pair). The validator library does not
     * enforce this document's apiKey schemes, so they are checked here, read from the document itself.
     */
    private static final List<String> KEY_HEADERS = keyHeaders();

    private OpenApiValidation() {
    }

    /** Loads the document now (seconds: it is large), so no request waits for it. */
    static void load() {
        VALIDATOR.getClass();
    }

    /** What the validator found wrong with the request; empty when the spec allows it. */
    static List<String> problems(String method, String path, String rawQuery, Map<String, List<String>> headers,
                                 String body) {
        SimpleRequest.Builder request = new SimpleRequest.Builder(method, path);
        headers.forEach(request::withHeader);
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                request.withQueryParam(name, value);
            }
        }
        if (body != null && !body.isEmpty()) {
            request.withBody(body);
        }
        ValidationReport report = VALIDATOR.validateRequest(request.build());
        List<String> problems = new ArrayList<>(report.getMessages().stream()
                .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .map(m -> method + " " + path + ": " + m.getKey() + ": " + m.getMessage())
                .toList());
        for (String header : KEY_HEADERS) {
            boolean present = headers.entrySet().stream().anyMatch(h -> h.getKey().equalsIgnoreCase(header)
                    && !h.getValue().isEmpty() && !h.getValue().get(0).isBlank());
            if (!present) {
                problems.add(method + " " + path + ": security: header " + header + " is required");
            }
        }
        return problems;
    }

    private static List<String> keyHeaders() {
        try {
            JsonNode doc = new ObjectMapper().readTree(SPEC);
            List<String> names = new ArrayList<>();
            for (JsonNode requirement : doc.path("security")) {
                requirement.fieldNames().forEachRemaining(scheme -> {
                    JsonNode s = doc.path("components").path("securitySchemes").path(scheme);
                    if ("apiKey".equals(s.path("type").asText()) && "header".equals(s.path("in").asText())) {
                        names.add(s.path("name").asText());
                    }
                });
            }
            return List.copyOf(names);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String spec() {
        try (InputStream in = OpenApiValidation.class.getResourceAsStream("/openapi/alpaca-trading-openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi/alpaca-trading-openapi.json is missing from test resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
