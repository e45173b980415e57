package io.andock.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Left-aligned columns separated by at least three spaces, as docker's tabwriter prints them. */
final class Table {
    private final List<String[]> rows = new ArrayList<>();

    Table(String... header) {
        rows.add(header);
    }

    Table row(String... cells) {
        rows.add(cells);
        return this;
    }

    void print(PrintWriter out) {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int c = 0; c < cols; c++) width[c] = Math.max(width[c], r[c] == null ? 0 : r[c].codePointCount(0, r[c].length()));
        }
        StringBuilder b = new StringBuilder();
        for (String[] r : rows) {
            b.setLength(0);
            for (int c = 0; c < cols; c++) {
                String cell = r[c] == null ? "" : r[c];
                b.append(cell);
                if (c < cols - 1) b.append(" ".repeat(width[c] - cell.codePointCount(0, cell.length()) + 3));
            }
            out.println(b.toString().stripTrailing());
        }
    }
}
