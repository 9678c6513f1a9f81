package io.roster.contracts.csv;

/** What every CSV file this system writes does to its cells. */
public final class CsvCells {

    private CsvCells() {
    }

    /**
     * A cell that a spreadsheet would take for a formula (it starts with {@code = + - @}, a tab or a carriage
     * return) gets a leading {@code '}, which shows it as text: no formula in a user's name ever runs in the
     * admin's spreadsheet.
     */
    public static String neutralise(String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        char first = value.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r'
                ? "'" + value : value;
    }
}
