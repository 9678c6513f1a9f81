package io.roster.bench;

import java.sql.SQLException;
import java.sql.Statement;

/**
 * The raw limit the bulk benchmarks compare against (the design brief's): a table with the users table's columns and
 * the user's tags, a primary key and the unique email index only, no other index, trigger or foreign key.
 */
final class MinimalTable {

    private MinimalTable() {
    }

    /** Creates {@code name} like {@code users} of the statement's schema, as the minimal table. */
    static void create(Statement s, String name) throws SQLException {
        s.execute("DROP TABLE IF EXISTS " + name);
        s.execute("CREATE TABLE " + name + " (LIKE users INCLUDING DEFAULTS INCLUDING GENERATED INCLUDING "
                + "CONSTRAINTS)");
        // the user's tags in their row (Roster keeps them in a row of their own: V24)
        s.execute("ALTER TABLE " + name + " ADD COLUMN tags text[] NOT NULL DEFAULT '{}'");
        s.execute("ALTER TABLE " + name + " ADD PRIMARY KEY (id)");
        s.execute("CREATE UNIQUE INDEX " + name + "_email ON " + name + " (email)");
    }
}
