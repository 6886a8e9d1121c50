package io.tessera.tablet.queryservice;

import io.tessera.tablet.mysqlctl.DbConnector;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code KILL QUERY} and {@code KILL CONNECTION} as the dba user, on a fresh connection each time: kills are
 * rare, and must work even when every pooled connection is busy. Failures are logged, never thrown: the thread may
 * simply have finished already.
 */
final class DbaKiller implements MysqlKiller {
    private static final Logger log = LoggerFactory.getLogger(DbaKiller.class);
    /** ER_NO_SUCH_THREAD: the connection is gone already, which is what we wanted. */
    private static final int ER_NO_SUCH_THREAD = 1094;

    private final DbConnector dba;

    DbaKiller(DbConnector dba) {
        this.dba = Objects.requireNonNull(dba, "dba");
    }

    @Override
    public void killQuery(long threadId) {
        kill("KILL QUERY " + threadId);
    }

    @Override
    public void killConnection(long threadId) {
        kill("KILL CONNECTION " + threadId);
    }

    private void kill(String statement) {
        try (Connection c = dba.connect(); Statement s = c.createStatement()) {
            s.execute(statement);
            log.info("{} on {}", statement, dba.describe());
        } catch (SQLException e) {
            if (e.getErrorCode() != ER_NO_SUCH_THREAD) {
                log.warn("{} as {} failed: {}", statement, dba.describe(), e.getMessage());
            }
        }
    }
}
