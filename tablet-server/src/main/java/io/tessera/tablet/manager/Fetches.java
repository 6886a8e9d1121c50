package io.tessera.tablet.manager;

import io.tessera.proto.query.QueryResult;
import io.tessera.proto.tabletmanagerdata.ExecuteFetchAsAppRequest;
import io.tessera.proto.tabletmanagerdata.ExecuteFetchAsDbaRequest;
import io.tessera.proto.topodata.Tablet;
import io.tessera.tablet.mysqlctl.DbConnector;
import io.tessera.tablet.mysqlctl.DbNames;
import io.tessera.tabletmanager.TabletManagerException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code ExecuteFetchAsDba} and {@code ExecuteFetchAsApp}: one statement as one of the tablet's MySQL users. */
final class Fetches {
    private final MysqlAdmin mysql;
    private final TabletStateKeeper state;
    private final long defaultMaxRows;

    Fetches(MysqlAdmin mysql, TabletStateKeeper state, long defaultMaxRows) {
        this.mysql = mysql;
        this.state = state;
        this.defaultMaxRows = defaultMaxRows;
    }

    QueryResult asDba(ExecuteFetchAsDbaRequest request) {
        Optional<String> db = request.getDbName().isEmpty() ? tabletDatabase() : Optional.of(request.getDbName());
        List<String> setup = new ArrayList<>();
        if (request.getDisableBinlogs()) {
            setup.add("SET SESSION sql_log_bin = 0");
        }
        if (request.getDisableForeignKeyChecks()) {
            setup.add("SET SESSION foreign_key_checks = 0");
        }
        // reload_schema has nothing to do until the tablet has a schema engine.
        return QueryResults.run(withDatabase(mysql.mysqld().dba(), db), statement(request.getQuery().toStringUtf8()),
                setup, maxRows(request.getMaxRows()));
    }

    QueryResult asApp(ExecuteFetchAsAppRequest request) {
        DbConnector app = mysql.mysqld().app();
        if (app.database().isEmpty()) {
            app = withDatabase(app, tabletDatabase());
        }
        return QueryResults.run(app, statement(request.getQuery().toStringUtf8()), List.of(),
                maxRows(request.getMaxRows()));
    }

    /** {@code vt_<keyspace>}, or the tablet's {@code db_name_override}. */
    private Optional<String> tabletDatabase() {
        Tablet t = state.tablet();
        if (t.getKeyspace().isEmpty() && t.getDbNameOverride().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(DbNames.forKeyspace(t.getKeyspace(), Optional.of(t.getDbNameOverride())));
    }

    private static DbConnector withDatabase(DbConnector connector, Optional<String> db) {
        try {
            return db.map(connector::withDatabase).orElse(connector);
        } catch (IllegalArgumentException e) {
            throw TabletManagerException.invalidArgument(e.getMessage());
        }
    }

    private long maxRows(long requested) {
        return requested == 0 ? defaultMaxRows : requested;
    }

    private static String statement(String sql) {
        if (sql.isBlank()) {
            throw TabletManagerException.invalidArgument("the query is empty");
        }
        return sql;
    }
}
