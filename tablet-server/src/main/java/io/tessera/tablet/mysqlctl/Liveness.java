package io.tessera.tablet.mysqlctl;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** The liveness probe shared by both daemon kinds. */
final class Liveness {
    private Liveness() {}

    /** True if a fresh connection through {@code connector} can run {@code SELECT 1}. */
    static boolean answers(DbConnector connector) {
        try (Connection c = connector.connect(); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
            return true;
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }
}
