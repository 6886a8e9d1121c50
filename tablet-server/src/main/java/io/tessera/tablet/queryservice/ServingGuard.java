package io.tessera.tablet.queryservice;

import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.proto.query.Target;
import io.tessera.proto.topodata.TabletType;
import java.util.Objects;
import java.util.Set;

/**
 * Decides whether the tablet takes a request, from its current {@link ServingState}: the target must name this
 * tablet's keyspace, shard and type; the query service must be enabled and serving with mysqld reachable; a
 * non-primary refuses writes; a denied table is refused. Each refusal has its own catalogue error.
 */
final class ServingGuard {
    private final TabletServingState state;
    private final String tablet;

    ServingGuard(TabletServingState state, String tablet) {
        this.state = Objects.requireNonNull(state, "state");
        this.tablet = Objects.requireNonNull(tablet, "tablet");
    }

    /** Checks the target and that the tablet serves; returns the state the request is judged by. */
    ServingState checkServing(Target target) {
        ServingState s = checkTarget(target);
        if (s.queryServiceDisabled()) {
            throw TesseraException.of(ErrorKind.QUERY_SERVICE_DISABLED, tablet, s.type());
        }
        if (!s.serving()) {
            throw TesseraException.of(ErrorKind.NOT_SERVING, tablet,
                    s.notServingReason().isEmpty() ? "not serving" : s.notServingReason());
        }
        if (!s.mysqldReachable()) {
            throw TesseraException.of(ErrorKind.MYSQLD_DOWN, tablet, "the health check cannot reach it");
        }
        return s;
    }

    /**
     * Checks only that the target names this tablet. Commit and Rollback need no more, so transactions can still
     * be finished while the tablet leaves the serving state.
     */
    ServingState checkTarget(Target target) {
        ServingState s = state.current();
        if (!target.getKeyspace().equals(s.keyspace()) || !sameShard(target.getShard(), s.shard())
                || target.getTabletType() != s.type()) {
            throw TesseraException.of(ErrorKind.WRONG_TARGET, describe(target.getKeyspace(), target.getShard(),
                    target.getTabletType()), tablet, describe(s.keyspace(), s.shard(), s.type()));
        }
        return s;
    }

    /**
     * Refuses writes on a non-primary (but for temporary-table DDL) and statements naming a denied table. A
     * single-table write on a non-primary is let through with its table returned: it may run only on a reserved
     * connection that created that table as a temporary table, which the caller checks there.
     *
     * @return the table such a write needs to be temporary, or null when the statement needs nothing more
     */
    String checkStatement(ServingState s, StatementInfo info, String sql) {
        // Temporary tables are the session's own and MariaDB allows them under read_only: reports on a replica
        // may stage rows in one (CREATE TEMPORARY TABLE ... SELECT, then INSERT / UPDATE / DELETE it), on a
        // reserved connection. Whether a write's table is one of those is known only on that connection.
        String temporaryTable = null;
        if (info.kind().isWrite() && s.type() != TabletType.PRIMARY
                && !(info.kind() == StatementKind.DDL && StatementClassifier.isTemporaryTableDdl(sql))) {
            temporaryTable = info.kind() == StatementKind.WRITE ? TemporaryTables.written(sql) : null;
            if (temporaryTable == null) {
                throw TesseraException.of(ErrorKind.WRITE_ON_NON_PRIMARY, tablet, s.type());
            }
        }
        Set<String> denied = s.deniedTablesForType();
        if (denied.isEmpty()) {
            return temporaryTable;
        }
        for (String table : TableExtractor.tables(sql)) {
            if (denied.contains(table)) {
                throw TesseraException.of(ErrorKind.DENIED_TABLE, table, s.type(), s.keyspace() + "/" + s.shard());
            }
        }
        return temporaryTable;
    }

    /** Refuses a write on this tablet, which is not a primary (WRITE_ON_NON_PRIMARY). */
    void refuseWrite() {
        throw TesseraException.of(ErrorKind.WRITE_ON_NON_PRIMARY, tablet, state.current().type());
    }

    /** "0" and "-" both name the whole key range. */
    static boolean sameShard(String a, String b) {
        return a.equals(b) || (isWholeRange(a) && isWholeRange(b));
    }

    private static boolean isWholeRange(String shard) {
        return shard.equals("0") || shard.equals("-");
    }

    private static String describe(String keyspace, String shard, TabletType type) {
        return keyspace + "/" + shard + "@" + type.name().toLowerCase(java.util.Locale.ROOT);
    }
}
