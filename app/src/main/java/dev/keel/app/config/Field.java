package dev.keel.app.config;

import dev.keel.app.config.YamlNode.Scalar;
import dev.keel.core.model.Symbol;
import java.math.BigDecimal;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The value at one field path of the file, or its absence. Reading reports a problem instead of throwing, and
 * answers null for a value that is present but wrong, or the fallback for one that is absent, so that one pass
 * over the file finds every problem.
 */
final class Field {
    private final Problems problems;
    private final String path;
    private final YamlNode node;
    private final int line;

    /** {@code node} null (or an empty scalar) means absent; {@code line} then is the parent's. */
    Field(Problems problems, String path, YamlNode node, int line) {
        this.problems = problems;
        this.path = path;
        this.node = node instanceof Scalar s && s.type() == Scalar.Type.NULL ? null : node;
        this.line = node == null ? line : node.line();
    }

    boolean present() {
        return node != null;
    }

    String path() {
        return path;
    }

    /** The line of the value, or of its parent when absent. */
    int line() {
        return line;
    }

    /** Whether the value is a list (as opposed to a mapping or a scalar). */
    boolean isList() {
        return node instanceof YamlNode.Sequence;
    }

    /** The source file of the configuration, for a problem found later than the reading (a secret not set). */
    Path source() {
        return problems.file();
    }

    /** Problems found so far in the whole file: a reader compares before and after to know its part was clean. */
    int problemCount() {
        return problems.count();
    }

    void problem(String message) {
        problems.add(line, path, message);
    }

    /** Reports the field as missing when absent; {@code expected} says what belongs there. */
    Field require(String expected) {
        if (!present()) {
            problem("is missing; expected " + expected);
        }
        return this;
    }

    /** Any scalar as text. */
    String text(String fallback) {
        if (!present()) {
            return fallback;
        }
        if (node instanceof Scalar s) {
            return s.text();
        }
        return wrong("text");
    }

    /** A YAML number (weights, ratios): a quoted "0.3" is refused, so a typo cannot hide in a string. */
    BigDecimal number(BigDecimal fallback, Bound bound) {
        if (!present()) {
            return fallback;
        }
        if (node instanceof Scalar s && (s.type() == Scalar.Type.INTEGER || s.type() == Scalar.Type.DECIMAL)) {
            return bounded(decimal(s.text()), bound);
        }
        return wrong("a number");
    }

    /** Money or a quantity: a number, or a string holding one ({@code "10000.00"} keeps its scale either way). */
    BigDecimal amount(BigDecimal fallback, Bound bound) {
        if (!present()) {
            return fallback;
        }
        if (node instanceof Scalar s && s.type() != Scalar.Type.BOOLEAN) {
            return bounded(decimal(s.text().strip()), bound);
        }
        return wrong("an amount");
    }

    /** A whole number that fits an int. */
    Integer whole(Integer fallback, Bound bound) {
        Long value = wholeLong(fallback == null ? null : fallback.longValue(), bound);
        if (value == null) {
            return null;
        }
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            problem("must be at most " + Integer.MAX_VALUE + ", but was " + value);
            return null;
        }
        return value.intValue();
    }

    /** A whole number that fits a long. */
    Long wholeLong(Long fallback, Bound bound) {
        if (!present()) {
            return fallback;
        }
        if (node instanceof Scalar s && s.type() == Scalar.Type.INTEGER) {
            try {
                BigDecimal value = bounded(new BigDecimal(s.text()), bound);
                return value == null ? null : value.longValueExact();
            } catch (NumberFormatException | ArithmeticException e) {
                // hex, octal or too large: fall through to the same message as any other non-number
            }
        }
        return wrong("a whole number");
    }

    /** A YAML boolean, {@code true} or {@code false}; a quoted "true" is refused like a quoted number. */
    Boolean bool(Boolean fallback) {
        if (!present()) {
            return fallback;
        }
        if (node instanceof Scalar s && s.type() == Scalar.Type.BOOLEAN) {
            return Boolean.valueOf(s.text());
        }
        return wrong("true or false");
    }

    /** A duration: {@code 20ms}, {@code 1s}, {@code 5m}, {@code 1h}; {@code positive} refuses {@code 0s}. */
    Duration duration(Duration fallback, boolean positive) {
        if (!present()) {
            return fallback;
        }
        if (node instanceof Scalar s) {
            Duration d = DurationFormat.parse(s.text()).orElse(null);
            if (d == null) {
                return wrong(DurationFormat.EXPECTED);
            }
            if (positive && d.isZero()) {
                problem("must be greater than 0s, but was " + s.text());
                return null;
            }
            return d;
        }
        return wrong(DurationFormat.EXPECTED);
    }

    /** One of an enum's wire names, with a "did you mean" for a near miss. */
    <E extends Enum<E> & WireName> E choice(Class<E> type, E fallback) {
        return choice(type.getEnumConstants(), WireName::wire, fallback);
    }

    /** One of {@code values}, spelled as {@code spelling} gives them. */
    <E> E choice(E[] values, Function<E, String> spelling, E fallback) {
        if (!present()) {
            return fallback;
        }
        if (node instanceof Scalar s) {
            for (E value : values) {
                if (spelling.apply(value).equals(s.text())) {
                    return value;
                }
            }
        }
        List<String> names = Arrays.stream(values).map(spelling).toList();
        String typed = node instanceof Scalar s ? s.text() : "";
        problem("expected one of " + String.join(", ", names) + ", but was " + node.describe()
                + Suggestion.didYouMean(typed, names));
        return null;
    }

    /** A file path, resolved against {@code base} when relative. */
    Path file(String fallback, Path base) {
        String text = text(fallback);
        if (text == null) {
            return null;
        }
        if (text.isBlank()) {
            problem("expected a file path, but was empty");
            return null;
        }
        try {
            return base.resolve(text).normalize();
        } catch (InvalidPathException e) {
            problem("expected a file path, but was '" + text + "' (" + e.getReason() + ")");
            return null;
        }
    }

    /** Checks that {@code text} is a valid symbol, reporting on this field when not. */
    boolean symbol(String text) {
        String wrong = symbolProblem(text);
        if (wrong == null) {
            return true;
        }
        String upper = text.toUpperCase(Locale.ROOT);
        String hint = !upper.equals(text) && symbolProblem(upper) == null ? "; symbols are upper case: '" + upper + "'" : "";
        problem(wrong + hint);
        return false;
    }

    /**
     * A mapping of symbol to number ({@code VTI: 0.30}), each value read by {@code value}; null if any entry is
     * wrong, the file's order kept.
     */
    Map<String, BigDecimal> symbolMap(Function<Field, BigDecimal> value) {
        Section section = section();
        Map<String, BigDecimal> result = new LinkedHashMap<>();
        boolean complete = true;
        for (Map.Entry<String, Field> entry : section.entries().entrySet()) {
            Field field = entry.getValue();
            boolean symbol = field.symbol(entry.getKey());
            BigDecimal number = value.apply(field.require("a number"));
            if (symbol && number != null) {
                result.put(entry.getKey(), number);
            } else {
                complete = false;
            }
        }
        return complete ? result : null;
    }

    /** The mapping at this field; an absent field reads as an empty mapping, so every key takes its default. */
    Section section() {
        if (present() && !(node instanceof YamlNode.Mapping)) {
            wrong("a mapping");
            return new Section(problems, path, null, line);
        }
        return new Section(problems, path, (YamlNode.Mapping) node, line);
    }

    /** The items of the list at this field; absent reads as empty. */
    List<Field> items() {
        if (!present()) {
            return List.of();
        }
        if (!(node instanceof YamlNode.Sequence sequence)) {
            wrong("a list");
            return List.of();
        }
        List<Field> items = new ArrayList<>();
        for (int i = 0; i < sequence.items().size(); i++) {
            items.add(new Field(problems, path + "[" + i + "]", sequence.items().get(i), sequence.line()));
        }
        return items;
    }

    /** "one of a, b, c": what a closed list of words expects. */
    static <E extends Enum<E> & WireName> String oneOf(Class<E> type) {
        return "one of " + Arrays.stream(type.getEnumConstants()).map(WireName::wire).collect(Collectors.joining(", "));
    }

    /** Why {@code text} is not a symbol, or null when it is one. */
    private static String symbolProblem(String text) {
        try {
            Symbol.of(text);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private BigDecimal decimal(String text) {
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private BigDecimal bounded(BigDecimal value, Bound bound) {
        if (value == null) {
            return wrong("a number");
        }
        if (!bound.contains(value)) {
            problem(bound.describe() + ", but was " + value.toPlainString());
            return null;
        }
        return value;
    }

    private <T> T wrong(String expected) {
        problem("expected " + expected + ", but was " + node.describe());
        return null;
    }
}
