package io.tessera.gate.executor;

import static io.tessera.gate.executor.FakeGateway.values;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.common.errors.ErrorKind;
import io.tessera.gate.discovery.TabletHealth;
import io.tessera.proto.query.Field;
import io.tessera.proto.query.MySqlFlag;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.query.Target;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.topodata.TabletType;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SHOW VITESS_TABLETS, VITESS_SHARDS, VITESS_KEYSPACES / KEYSPACES and VITESS_TARGET, answered by the gate. */
class ClusterShowsTest {
    private static final long TERM_START = 1_795_000_000L;

    private static TabletHealth tablet(String cell, int uid, String host, String keyspace, String shard,
            TabletType type, boolean serving, long termStart) {
        Tablet record = Tablet.newBuilder().setAlias(TabletAlias.newBuilder().setCell(cell).setUid(uid))
                .setHostname(host).setKeyspace(keyspace).setShard(shard).setType(type).build();
        Target target = Target.newBuilder().setKeyspace(keyspace).setShard(shard).setTabletType(type).build();
        return new TabletHealth(record, target, serving, 0, serving ? "" : "replication stopped", termStart,
                Instant.now(), serving);
    }

    private static ExecutorFixture fixture() {
        FakeGateway gateway = FakeGateway.standard().keyspace("customer", "-80", "80-");
        gateway.tablets(List.of(
                tablet("zone1", 201, "db-c.example", "customer", "-80", TabletType.PRIMARY, true, TERM_START),
                tablet("zone1", 101, "db-b.example", "commerce", "0", TabletType.REPLICA, false, 0),
                tablet("zone1", 100, "db-a.example", "commerce", "0", TabletType.PRIMARY, true, TERM_START),
                // Discovered but not reported yet: listed from its topology record.
                new TabletHealth(Tablet.newBuilder().setAlias(TabletAlias.newBuilder().setCell("zone2").setUid(7))
                        .setHostname("db-d.example").setKeyspace("commerce").setShard("0")
                        .setType(TabletType.RDONLY).build(), Target.getDefaultInstance(), false, 0, "", 0, null,
                        false)));
        return new ExecutorFixture(gateway);
    }

    @Test
    void vitessTabletsListsEveryFollowedTabletWithItsStateAndPrimaryTerm() {
        ExecutorFixture f = fixture();
        QueryResult r = f.exec("SHOW VITESS_TABLETS");
        assertThat(r.getFieldsList()).extracting(Field::getName).containsExactly("Cell", "Keyspace", "Shard",
                "TabletType", "State", "Alias", "Hostname", "PrimaryTermStartTime");
        assertThat(r.getFieldsList()).allMatch(fd -> (fd.getFlags() & MySqlFlag.NOT_NULL_FLAG_VALUE) != 0);
        String term = "2026-11-18T11:06:40Z";
        assertThat(Instant.parse(term).getEpochSecond()).isEqualTo(TERM_START);
        assertThat(values(r)).containsExactly(
                List.of("zone1", "commerce", "0", "PRIMARY", "SERVING", "zone1-0000000100", "db-a.example", term),
                List.of("zone1", "commerce", "0", "REPLICA", "NOT_SERVING", "zone1-0000000101", "db-b.example", ""),
                List.of("zone1", "customer", "-80", "PRIMARY", "SERVING", "zone1-0000000201", "db-c.example", term),
                List.of("zone2", "commerce", "0", "RDONLY", "NOT_SERVING", "zone2-0000000007", "db-d.example", ""));
        // LIKE matches the host name, as in Vitess.
        assertThat(values(f.exec("show vitess_tablets like 'db-_.example'"))).hasSize(4);
        assertThat(values(f.exec("show vitess_tablets like '%-b%';"))).extracting(row -> row.get(5))
                .containsExactly("zone1-0000000101");
        assertThat(values(f.exec("show vitess_tablets like 'commerce'"))).isEmpty();
        assertThat(f.gateway.calls()).as("answered by the gate").isEmpty();
    }

    @Test
    void vitessShardsAndKeyspacesListWhatTheGateServes() {
        ExecutorFixture f = fixture();
        QueryResult shards = f.exec("SHOW VITESS_SHARDS");
        assertThat(shards.getFields(0).getName()).isEqualTo("Shards");
        assertThat(values(shards)).containsExactly(List.of("commerce/0"), List.of("customer/-80"),
                List.of("customer/80-"));
        assertThat(values(f.exec("SHOW VITESS_SHARDS LIKE 'customer/%'"))).containsExactly(List.of("customer/-80"),
                List.of("customer/80-"));

        QueryResult keyspaces = f.exec("SHOW VITESS_KEYSPACES");
        assertThat(keyspaces.getFields(0).getName()).isEqualTo("Database");
        assertThat(values(keyspaces)).containsExactly(List.of("commerce"), List.of("customer"));
        assertThat(values(f.exec("show keyspaces like 'cu%'"))).containsExactly(List.of("customer"));
        assertThat(f.gateway.calls()).isEmpty();
    }

    @Test
    void vitessTargetIsTheSessionsTarget() {
        ExecutorFixture f = fixture();
        QueryResult none = f.exec("SHOW VITESS_TARGET");
        assertThat(none.getFields(0).getName()).isEqualTo("Target");
        assertThat(values(none)).containsExactly(List.of(""));
        f.exec("USE `commerce@replica`");
        assertThat(values(f.exec("show vitess_target"))).containsExactly(List.of("commerce@replica"));
    }

    @Test
    void filtersOtherThanLikeAreRefusedNotIgnored() {
        ExecutorFixture f = fixture();
        assertThat(f.fails("SHOW VITESS_TABLETS WHERE Keyspace = 'commerce'").kind())
                .isEqualTo(ErrorKind.UNIMPLEMENTED);
        assertThat(f.fails("SHOW VITESS_SHARDS LIKE 'a' extra").getMessage()).contains("VITESS_SHARDS");
        assertThat(f.fails("SHOW VITESS_TARGET LIKE '%'").getMessage()).contains("VITESS_TARGET");
        assertThat(f.gateway.calls()).isEmpty();
    }
}
