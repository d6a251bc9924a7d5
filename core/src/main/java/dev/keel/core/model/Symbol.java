package dev.keel.core.model;

import java.util.Objects;
import java.util.regex.Pattern;

/** A tradable instrument's ticker, upper case, e.g. {@code VTI} or {@code BRK.B}. */
public record Symbol(String value) implements Comparable<Symbol> {
    private static final Pattern VALID = Pattern.compile("[A-Z0-9][A-Z0-9.\\-/]{0,15}");

    public Symbol {
        Objects.requireNonNull(value, "symbol");
        if (!VALID.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "symbol must be 1-16 upper-case letters, digits, '.', '-' or '/', but was '" + value + "'");
        }
    }

    public static Symbol of(String value) {
        return new Symbol(value);
    }

    @Override
    public int compareTo(Symbol other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
