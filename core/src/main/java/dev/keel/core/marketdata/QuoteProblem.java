package dev.keel.core.marketdata;

import java.util.Objects;

/**
 * One failed check: which source, which check, and what was found.
 *
 * @param source the source's name, e.g. {@code live}
 * @param check  the check that failed
 * @param detail a sentence for the operator, e.g. {@code quote is PT2M old, more than the PT15S allowed}
 */
public record QuoteProblem(String source, QuoteCheck check, String detail) {
    public QuoteProblem {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
        return source + " " + check + ": " + detail;
    }
}
