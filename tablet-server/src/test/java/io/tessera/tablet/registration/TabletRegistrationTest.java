package io.tessera.tablet.registration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletType;
import io.tessera.proto.topodata.Timestamp;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoServer;
import io.tessera.topo.topoproto.KeyRanges;
import io.tessera.topo.topoproto.TabletAliases;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TabletRegistrationTest {
    private TopoServer topo;
    private TabletRegistration registration;

    @BeforeEach
    void setUp() throws Exception {
        topo = TopoServer.open("memory://");
        registration = new TabletRegistration(topo);
    }

    @AfterEach
    void tearDown() {
        topo.close();
    }

    private static TabletIdentity identity(int uid, String shard, TabletType type) {
        return new TabletIdentity(TabletAliases.parse("zone1-" + uid), "host1", 15000 + uid, 16000 + uid, "commerce",
                shard, type, Optional.empty(), "127.0.0.1", 17000 + uid, Map.of("role", "test"));
    }

    @Test
    void firstTabletCreatesCellKeyspaceShardAndItsRecords() throws Exception {
        Tablet t = registration.register(identity(100, "0", TabletType.REPLICA));
        assertThat(topo.getCellInfoNames()).containsExactly("zone1");
        assertThat(topo.getKeyspaceNames()).containsExactly("commerce");
        assertThat(topo.getShardNames("commerce")).containsExactly("0");
        Tablet stored = topo.getTablet(TabletAliases.parse("zone1-100")).value();
        assertThat(stored).isEqualTo(t);
        assertThat(stored.getType()).isEqualTo(TabletType.REPLICA);
        assertThat(stored.getPortMapMap()).containsEntry("vt", 15100).containsEntry("grpc", 16100);
        assertThat(stored.getMysqlPort()).isEqualTo(17100);
        assertThat(stored.getTagsMap()).containsEntry("role", "test");
        assertThat(topo.getShardReplication("zone1", "commerce", "0").value().getNodesList()).hasSize(1);
    }

    @Test
    void portsBoundBeforeRegisteringGoInThePortMap() throws Exception {
        Tablet t = registration.register(identity(100, "0", TabletType.REPLICA), Map.of("multiplex", 41234));
        assertThat(topo.getTablet(TabletAliases.parse("zone1-100")).value().getPortMapMap())
                .containsExactlyInAnyOrderEntriesOf(Map.of("vt", 15100, "grpc", 16100, "multiplex", 41234));
        assertThat(t.getPortMapMap()).containsEntry("multiplex", 41234);
    }

    @Test
    void shardRecordCarriesTheKeyRange() throws Exception {
        Tablet t = registration.register(identity(300, "-80", TabletType.REPLICA));
        assertThat(KeyRanges.format(t.getKeyRange())).isEqualTo("-80");
        assertThat(KeyRanges.format(topo.getShard("commerce", "-80").value().getKeyRange())).isEqualTo("-80");
    }

    @Test
    void restartReplacesTheRecordWithoutDuplicatingReplicationNodes() throws Exception {
        registration.register(identity(101, "0", TabletType.REPLICA));
        registration.register(identity(101, "0", TabletType.RDONLY));
        assertThat(topo.getTablet(TabletAliases.parse("zone1-101")).value().getType()).isEqualTo(TabletType.RDONLY);
        assertThat(topo.getShardReplication("zone1", "commerce", "0").value().getNodesList()).hasSize(1);
    }

    @Test
    void tabletNamedPrimaryByItsShardComesUpAsPrimary() throws Exception {
        registration.register(identity(100, "0", TabletType.REPLICA));
        Timestamp term = Timestamp.newBuilder().setSeconds(1_700_000_000L).build();
        topo.updateShardFields("commerce", "0", s -> s.toBuilder()
                .setPrimaryAlias(TabletAliases.parse("zone1-100")).setPrimaryTermStartTime(term).build());
        Tablet again = registration.register(identity(100, "0", TabletType.REPLICA));
        assertThat(again.getType()).isEqualTo(TabletType.PRIMARY);
        assertThat(again.getPrimaryTermStartTime()).isEqualTo(term);
        Tablet other = registration.register(identity(101, "0", TabletType.REPLICA));
        assertThat(other.getType()).isEqualTo(TabletType.REPLICA);
    }

    @Test
    void aliasTakenByAnotherShardIsRefused() throws Exception {
        registration.register(identity(100, "0", TabletType.REPLICA));
        topo.createShard("commerce", "-80");
        assertThatThrownBy(() -> registration.register(identity(100, "-80", TabletType.REPLICA)))
                .isInstanceOfSatisfying(TopoException.class,
                        e -> assertThat(e.code()).isEqualTo(TopoException.Code.INVALID_ARGUMENT))
                .hasMessageContaining("already registered in commerce/0");
    }

    @Test
    void primaryAndBadInitTypesAreRejected() {
        assertThatThrownBy(() -> identity(100, "0", TabletType.PRIMARY)).hasMessageContaining("not allowed");
        assertThatThrownBy(() -> identity(100, "0", TabletType.BACKUP)).hasMessageContaining("replica, rdonly or spare");
        assertThatThrownBy(() -> identity(100, "8-", TabletType.REPLICA)).hasMessageContaining("even number");
    }

    @Test
    void dbNameDefaultsToVtKeyspace() {
        assertThat(identity(100, "0", TabletType.REPLICA).dbName()).isEqualTo("vt_commerce");
        TabletIdentity custom = new TabletIdentity(TabletAliases.parse("zone1-100"), "h", 1, 2, "commerce", "0",
                TabletType.REPLICA, Optional.of("legacy_db"), "h", 3, Map.of());
        assertThat(custom.dbName()).isEqualTo("legacy_db");
    }
}
