package io.tessera.gate.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.proto.query.Target;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.topodata.TabletType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which tablets of one target the picker routes to. */
class TabletPickerTest {
    private final TabletPicker picker = new TabletPicker("zone1",
            new ReplicationLagFilter(Duration.ofSeconds(30), Duration.ofHours(2), 2, true));

    private static TabletAlias alias(String cell, int uid) {
        return TabletAlias.newBuilder().setCell(cell).setUid(uid).build();
    }

    private static TabletPicker.Member member(String cell, int uid, TabletType type, boolean serving, long lag,
            String error, long term, boolean reported, long claim) {
        Tablet tablet = Tablet.newBuilder().setAlias(alias(cell, uid)).build();
        Target target = Target.newBuilder().setKeyspace("ks").setShard("0").setTabletType(type).build();
        return new TabletPicker.Member(new TabletHealth(tablet, target, serving, lag, error, term,
                reported ? Instant.EPOCH : null, false), claim);
    }

    private static TabletPicker.Member replica(String cell, int uid, long lag) {
        return member(cell, uid, TabletType.REPLICA, true, lag, "", 0, true, 0);
    }

    private static TabletPicker.Member primary(int uid, long term, boolean serving, long claim) {
        return member("zone1", uid, TabletType.PRIMARY, serving, 0, "", term, true, claim);
    }

    @Test
    void onlyServingHealthyReportedTabletsAreCandidates() {
        List<TabletPicker.Member> members = List.of(
                replica("zone1", 1, 0),
                member("zone1", 2, TabletType.REPLICA, false, 0, "", 0, true, 0),
                member("zone1", 3, TabletType.REPLICA, true, 0, "mysqld is down", 0, true, 0),
                member("zone1", 4, TabletType.REPLICA, true, 0, "", 0, false, 0));

        TabletPicker.Selection s = picker.select(TabletType.REPLICA, members, 0);

        assertThat(s.preferred()).containsExactly(alias("zone1", 1));
        assertThat(s.fallback()).isEmpty();
    }

    @Test
    void replicasPassTheLagFilter() {
        TabletPicker.Selection s = picker.select(TabletType.REPLICA,
                List.of(replica("zone1", 1, 0), replica("zone1", 2, 0), replica("zone1", 3, 600)), 0);

        assertThat(s.preferred()).containsExactly(alias("zone1", 1), alias("zone1", 2));
    }

    @Test
    void theLocalCellComesFirstAndOtherCellsServeAsFallback() {
        TabletPicker.Selection s = picker.select(TabletType.RDONLY,
                List.of(replica("zone2", 1, 0), replica("zone1", 2, 0), replica("zone3", 3, 0)), 0);
        assertThat(s.preferred()).containsExactly(alias("zone1", 2));
        assertThat(s.fallback()).containsExactly(alias("zone2", 1), alias("zone3", 3));

        TabletPicker.Selection remoteOnly = picker.select(TabletType.RDONLY,
                List.of(replica("zone2", 1, 0), replica("zone3", 3, 0)), 0);
        assertThat(remoteOnly.preferred()).containsExactly(alias("zone2", 1), alias("zone3", 3));
        assertThat(remoteOnly.fallback()).isEmpty();
    }

    @Test
    void theNewestPrimaryTermWins() {
        TabletPicker.Selection s = picker.select(TabletType.PRIMARY,
                List.of(primary(1, 1000, true, 1), primary(2, 2000, true, 2)), 2000);

        assertThat(s.preferred()).containsExactly(alias("zone1", 2));
    }

    @Test
    void anOlderTermIsNeverUsedEvenWhenTheNewestIsNotServing() {
        List<TabletPicker.Member> members = List.of(primary(1, 1000, true, 1), primary(2, 2000, false, 2));

        assertThat(picker.select(TabletType.PRIMARY, members, 2000).preferred()).isEmpty();
        // Nor once the newer primary is gone altogether: the shard's newest term is remembered.
        assertThat(picker.select(TabletType.PRIMARY, List.of(primary(1, 1000, true, 1)), 2000).preferred())
                .isEmpty();
    }

    @Test
    void ofTwoClaimsOfOneTermTheLaterWins() {
        TabletPicker.Selection s = picker.select(TabletType.PRIMARY,
                List.of(primary(1, 2000, true, 7), primary(2, 2000, true, 5)), 2000);

        assertThat(s.preferred()).containsExactly(alias("zone1", 1));
    }

    @Test
    void aPrimaryIsNotSubjectToTheLagFilterOrCellPreference() {
        TabletPicker.Member remote = member("zone2", 9, TabletType.PRIMARY, true, 5000, "", 3000, true, 1);

        assertThat(picker.select(TabletType.PRIMARY, List.of(remote), 3000).preferred())
                .containsExactly(alias("zone2", 9));
    }
}
