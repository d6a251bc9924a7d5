package dev.keel.paper.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.OpenApi30;
import java.util.List;

/**
 * Validates an answer against the response schema Alpaca's OpenAPI document gives its path, method and status
 * (OpenAPI 3.0 dialect: {@code nullable} honoured, {@code $ref}s resolved within the document).
 */
final class SpecValidator {
    private static final String SPEC = "classpath:openapi/alpaca-trading-openapi.json";
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(OpenApi30.getInstance());

    private SpecValidator() {
    }

    /** The schema's complaints about {@code body}, empty when it conforms. */
    static List<String> problems(String path, String method, int status, JsonNode body) {
        String pointer = "#/paths/" + escape(path) + "/" + method.toLowerCase(java.util.Locale.ROOT) + "/responses/"
                + status + "/content/application~1json/schema";
        Schema schema = REGISTRY.getSchema(SchemaLocation.of(SPEC + pointer));
        return schema.validate(body).stream().map(Error::toString).toList();
    }

    /** A named schema of {@code components/schemas}: for bodies the spec gives no path for (errors, the stream). */
    static List<String> problemsAgainst(String component, JsonNode body) {
        Schema schema = REGISTRY.getSchema(SchemaLocation.of(SPEC + "#/components/schemas/" + component));
        return schema.validate(body).stream().map(Error::toString).toList();
    }

    private static String escape(String path) {
        return path.replace("~", "~0").replace("/", "~1");
    }
}
