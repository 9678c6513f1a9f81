package io.roster.bench;

import java.sql.SQLException;
import java.sql.Statement;

/**
 * The raw limit the bulk benchmarks compare against (the design brief's): a table with the users table's columns, a
 * primary key and the unique email index only, no other index, trigger or foreign key.
 */
final class MinimalTable {

    private MinimalTable() {
    }

    /** Creates {@code name} like {@code users} of the statement's schema, as the minimal table. */
    static void create(Statement s, String name) throws SQLException {
        s.execute("DROP TABLE IF EXISTS " + name);
        s.execute("CREATE TABLE " + name + " (LIKE users INCLUDING DEFAULTS INCLUDING GENERATED INCLUDING "
                + "CONSTRAINTS)");
        s.execute("ALTER TABLE " + name + " ADD PRIMARY KEY (id)");
        s.execute("CREATE UNIQUE INDEX " + name + "_email ON " + name + " (email)");
    }
}
