package io.roster.bench;

import java.util.ArrayList;
import java.util.List;

/** A Markdown table printed to standard output. */
final class Table {

    private final List<String[]> rows = new ArrayList<>();
    private final String[] header;

    Table(String... header) {
        this.header = header;
    }

    /** Adds a row, and shows it at once on standard error (a long run that fails later keeps what it measured). */
    Table row(String... cells) {
        rows.add(cells);
        System.err.println("  | " + String.join(" | ", cells) + " |");
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    void print() {
        int[] widths = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            widths[i] = header[i].length();
            for (String[] row : rows) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, header, widths);
        String[] rule = new String[header.length];
        for (int i = 0; i < rule.length; i++) {
            rule[i] = "-".repeat(widths[i]);
        }
        line(out, rule, widths);
        rows.forEach(r -> line(out, r, widths));
        System.out.print(out);
    }

    private static void line(StringBuilder out, String[] cells, int[] widths) {
        out.append('|');
        for (int i = 0; i < cells.length; i++) {
            out.append(' ').append(cells[i]).append(" ".repeat(widths[i] - cells[i].length())).append(" |");
        }
        out.append('\n');
    }

    static String rate(double perSecond) {
        return String.format("%,.0f/s", perSecond);
    }

    static String millis(double ms) {
        return String.format("%,.1f ms", ms);
    }

    static String ratio(double value) {
        return String.format("%.2fx", value);
    }
}
