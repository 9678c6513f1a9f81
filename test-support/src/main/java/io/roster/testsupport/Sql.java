package io.roster.testsupport;

import io.roster.persistence.Tx;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;

/** SQL for assertions. */
public final class Sql {
    private Sql() {
    }

    /** The single number {@code sql} selects, such as a count. */
    public static long count(DataSource dataSource, String sql) {
        return Tx.run(dataSource, c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** The single text {@code sql} selects, or null when it selects no row. */
    public static String text(DataSource dataSource, String sql) {
        return Tx.run(dataSource, c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                return rs.next() ? rs.getString(1) : null;
            }
        });
    }

    /** Runs one statement (test set-up only). */
    public static void execute(DataSource dataSource, String sql) {
        Tx.run(dataSource, c -> {
            try (Statement s = c.createStatement()) {
                return s.execute(sql);
            }
        });
    }
}
