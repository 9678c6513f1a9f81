package io.roster.persistence;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import org.postgresql.PGConnection;

/**
 * Rows for PostgreSQL's {@code COPY ... FROM STDIN WITH (FORMAT csv)}: every value quoted (a quote doubled), null as
 * an unquoted empty field, so an empty string and null stay apart; arrays and bytea in PostgreSQL's text input
 * forms. Values never hold NUL (the validators refuse it), which COPY could not carry.
 */
final class CopyCsv {

    private CopyCsv() {
    }

    /** Appends one row of {@code values} (each null or its text form, {@link Object#toString}) and a line end. */
    static void row(StringBuilder out, Object... values) {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            Object value = values[i];
            if (value != null) {
                String text = value.toString();
                out.append('"');
                for (int c = 0; c < text.length(); c++) {
                    char ch = text.charAt(c);
                    if (ch == '"') {
                        out.append('"');
                    }
                    out.append(ch);
                }
                out.append('"');
            }
        }
        out.append('\n');
    }

    /** A text[] literal: each element double-quoted, its backslashes and quotes escaped. */
    static String textArray(List<String> elements) {
        StringBuilder literal = new StringBuilder("{");
        for (int i = 0; i < elements.size(); i++) {
            if (i > 0) {
                literal.append(',');
            }
            literal.append('"').append(elements.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return literal.append('}').toString();
    }

    /** A bytea in the hex input form. */
    static String bytea(byte[] bytes) {
        return "\\x" + HexFormat.of().formatHex(bytes);
    }

    /** Streams {@code rows} through {@code copy} ({@code COPY table (columns) FROM STDIN WITH (FORMAT csv)}). */
    static long copyIn(Connection connection, String copy, CharSequence rows) throws SQLException {
        try {
            return connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copy, new StringReader(rows.toString()));
        } catch (java.io.IOException e) {
            throw new SQLException("COPY could not read its rows", e);
        }
    }
}
