package io.tessera.tablet.daemon;

import io.tessera.common.http.Health;
import io.tessera.common.http.StatusPage;
import io.tessera.common.http.StatusPage.Fact;
import io.tessera.tablet.health.HealthMonitor;
import io.tessera.tablet.health.HealthReport;
import io.tessera.tablet.manager.ServingState;
import io.tessera.tablet.mysqlctl.MysqlDaemon;
import io.tessera.tablet.queryservice.MeteredQueryService;
import io.tessera.tablet.queryservice.TabletQueryService;
import io.tessera.tablet.registration.TabletIdentity;
import io.tessera.topo.topoproto.TabletAliases;
import io.tessera.topo.topoproto.TabletTypes;
import java.util.List;

/** The tablet's {@code /debug/status} page and {@code /healthz} answer, read from its live components. */
final class TabletStatusPage {
    private final TabletIdentity id;
    private final MysqlDaemon mysqld;
    private final TabletStateHub state;
    private final HealthMonitor health;
    private final TabletQueryService queries;
    private final MeteredQueryService metered;

    TabletStatusPage(TabletIdentity id, MysqlDaemon mysqld, TabletStateHub state, HealthMonitor health,
            TabletQueryService queries, MeteredQueryService metered) {
        this.metered = metered;
        this.id = id;
        this.mysqld = mysqld;
        this.state = state;
        this.health = health;
        this.queries = queries;
    }

    StatusPage render() {
        ServingState s = state.managerState();
        HealthReport report = health.lastReport();
        return new StatusPage("tessera-tablet " + TabletAliases.format(id.alias()), List.of(
                new StatusPage.Facts("Tablet", List.of(
                        new Fact("alias", TabletAliases.format(id.alias())),
                        new Fact("keyspace/shard", id.keyspace() + "/" + id.shard()),
                        new Fact("type", TabletTypes.name(s.type())),
                        new Fact("serving (intended)", s.serving() ? "yes" : "no: " + s.reason()),
                        new Fact("denied tables", String.join(", ", s.deniedTables())),
                        new Fact("database", id.dbName()))),
                new StatusPage.Facts("mysqld", List.of(
                        new Fact("mode", mysqld.isManaged() ? "managed" : "external"),
                        new Fact("endpoint", String.valueOf(mysqld.endpoint())),
                        new Fact("answers", mysqld.isRunning() ? "yes" : "NO"))),
                new StatusPage.Facts("Health", report == null ? List.of(new Fact("last check", "none yet"))
                        : List.of(
                                new Fact("status", report.status().name()),
                                new Fact("serving", report.serving() ? "yes" : "no"),
                                new Fact("replication lag", report.replicationLag().toMillis() / 1000.0 + " s"),
                                new Fact("health error", report.healthError().orElse("")))),
                new StatusPage.Facts("Query service", List.of(
                        new Fact("open transactions", Integer.toString(queries.openTransactions())),
                        new Fact("reserved connections", Integer.toString(queries.reservedConnections())))),
                new StatusPage.Table("Connection pools", List.of("pool", "capacity", "active", "idle", "waiting"),
                        queries.poolStats().stream().map(p -> List.of(p.pool(), Integer.toString(p.capacity()),
                                Integer.toString(p.active()), Integer.toString(p.idle()),
                                Integer.toString(p.waiting()))).toList()),
                new StatusPage.Table("Recent errors", List.of("time", "call", "code", "message"),
                        metered.recentErrors().stream().map(e -> List.of(e.time().toString(), e.rpc(), e.code(),
                                e.message())).toList())));
    }

    Health health() {
        HealthReport report = health.lastReport();
        if (report == null) {
            return Health.unhealthy("no health check has finished yet");
        }
        return report.healthError().map(Health::unhealthy).orElse(Health.ok());
    }
}
