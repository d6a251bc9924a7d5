package dev.keel.app;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A plain-text table with a header row. A column whose every cell is a {@link Number} is right-aligned, so digits
 * line up; anything else is left-aligned. {@link BigDecimal}s print plain ({@code 10000.00}, never {@code 1E+4}).
 *
 * <pre>{@code
 * Table t = new Table("SYMBOL", "QTY", "PRICE");
 * t.row("VTI", new BigDecimal("50"), new BigDecimal("250.00"));
 * output.table(t);
 * }</pre>
 */
public final class Table {
    private static final String GAP = "  ";

    private final List<String> headers;
    private final List<Object[]> rows = new ArrayList<>();

    public Table(String... headers) {
        if (headers.length == 0) {
            throw new IllegalArgumentException("a table needs at least 1 column, but was given 0");
        }
        this.headers = List.of(headers);
    }

    /** Adds a row; {@code null} prints as empty. */
    public Table row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("a row must have " + headers.size() + " cells, but had " + cells.length);
        }
        rows.add(cells.clone());
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The rendered lines, header first, without trailing spaces. */
    public List<String> lines() {
        int columns = headers.size();
        int[] width = new int[columns];
        boolean[] right = new boolean[columns];
        for (int c = 0; c < columns; c++) {
            width[c] = headers.get(c).length();
            int column = c;
            right[c] = !rows.isEmpty() && rows.stream().allMatch(r -> r[column] == null || r[column] instanceof Number)
                    && rows.stream().anyMatch(r -> r[column] != null);
            for (Object[] row : rows) {
                width[c] = Math.max(width[c], text(row[c]).length());
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add(line(headers.toArray(), width, right));
        for (Object[] row : rows) {
            lines.add(line(row, width, right));
        }
        return lines;
    }

    @Override
    public String toString() {
        return String.join(System.lineSeparator(), lines());
    }

    private static String line(Object[] cells, int[] width, boolean[] right) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            String text = text(cells[c]);
            String pad = " ".repeat(width[c] - text.length());
            if (c > 0) {
                line.append(GAP);
            }
            line.append(right[c] ? pad + text : text + pad);
        }
        return line.toString().stripTrailing();
    }

    static String text(Object cell) {
        if (cell instanceof BigDecimal d) {
            return d.toPlainString();
        }
        return Objects.toString(cell, "");
    }
}
