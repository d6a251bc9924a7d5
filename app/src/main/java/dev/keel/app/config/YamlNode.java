package dev.keel.app.config;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A YAML document as a tree that remembers the line of every node. Jackson's own {@code JsonNode} forgets
 * locations, and an error without a line number sends the user hunting; so the tree is built here from the tokens
 * of Jackson's YAML parser. Scalars keep their exact text, so {@code 0.075} stays a decimal, never a double.
 */
sealed interface YamlNode {
    YAMLFactory FACTORY = new YAMLFactory();

    /** 1-based line where the node starts. */
    int line();

    /** What the node is, for "expected a number, but was a list". */
    String describe();

    /** A mapping; entries keep file order and duplicates, which the reader reports. */
    record Mapping(int line, List<Entry> entries) implements YamlNode {
        @Override
        public String describe() {
            return "a mapping";
        }
    }

    /** One key of a mapping and its value. */
    record Entry(String key, int keyLine, YamlNode value) {
    }

    /** A sequence. */
    record Sequence(int line, List<YamlNode> items) implements YamlNode {
        @Override
        public String describe() {
            return "a list";
        }
    }

    /** A scalar with its text as written; {@code type} says how YAML resolved it. */
    record Scalar(int line, String text, Type type) implements YamlNode {
        /** How YAML resolved a scalar. */
        enum Type { STRING, INTEGER, DECIMAL, BOOLEAN, NULL }

        @Override
        public String describe() {
            return switch (type) {
                case NULL -> "empty";
                case STRING -> "'" + text + "'";
                default -> text;
            };
        }
    }

    /** Parses a document; null when it is empty. */
    static YamlNode parse(String text) throws IOException {
        try (JsonParser parser = FACTORY.createParser(text)) {
            if (parser.nextToken() == null) {
                return null;
            }
            YamlNode root = read(parser);
            if (parser.nextToken() != null) {
                // a second document ("---") would otherwise be silently ignored
                throw new JsonParseException(parser, "a config file holds one YAML document, but this one has more",
                        parser.currentTokenLocation());
            }
            return root;
        }
    }

    private static YamlNode read(JsonParser parser) throws IOException {
        int line = parser.currentTokenLocation().getLineNr();
        JsonToken token = parser.currentToken();
        return switch (token) {
            case START_OBJECT -> {
                List<Entry> entries = new ArrayList<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    int keyLine = parser.currentTokenLocation().getLineNr();
                    parser.nextToken();
                    entries.add(new Entry(key, keyLine, read(parser)));
                }
                yield new Mapping(line, List.copyOf(entries));
            }
            case START_ARRAY -> {
                List<YamlNode> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(parser));
                }
                yield new Sequence(line, List.copyOf(items));
            }
            case VALUE_NUMBER_INT -> new Scalar(line, parser.getText(), Scalar.Type.INTEGER);
            case VALUE_NUMBER_FLOAT -> new Scalar(line, parser.getText(), Scalar.Type.DECIMAL);
            case VALUE_TRUE, VALUE_FALSE -> new Scalar(line, parser.getText(), Scalar.Type.BOOLEAN);
            case VALUE_NULL -> new Scalar(line, "", Scalar.Type.NULL);
            default -> new Scalar(line, parser.getText(), Scalar.Type.STRING);
        };
    }
}
