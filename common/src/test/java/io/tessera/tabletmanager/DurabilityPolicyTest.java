package io.tessera.tabletmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.proto.topodata.Keyspace;
import io.tessera.proto.topodata.TabletType;
import org.junit.jupiter.api.Test;

class DurabilityPolicyTest {
    @Test
    void noneIsTheDefaultAndAsksForNoAcknowledgement() {
        assertThat(DurabilityPolicy.of(Keyspace.getDefaultInstance())).isEqualTo(DurabilityPolicy.NONE);
        assertThat(DurabilityPolicy.parse("none").requiredAcks()).isZero();
        assertThat(DurabilityPolicy.NONE.acks(TabletType.REPLICA)).isFalse();
    }

    @Test
    void semiSyncWantsOneAcknowledgementFromPromotableTabletsOnly() {
        DurabilityPolicy policy = DurabilityPolicy.of(Keyspace.newBuilder().setDurabilityPolicy("semi_sync").build());
        assertThat(policy).isEqualTo(DurabilityPolicy.SEMI_SYNC);
        assertThat(policy.name()).isEqualTo("semi_sync");
        assertThat(policy.requiredAcks()).isEqualTo(1);
        assertThat(policy.acks(TabletType.REPLICA)).isTrue();
        assertThat(policy.acks(TabletType.PRIMARY)).isTrue();
        assertThat(policy.acks(TabletType.RDONLY)).isFalse();
        assertThat(policy.acks(TabletType.SPARE)).isFalse();
        assertThat(policy.promotable(TabletType.REPLICA)).isTrue();
        assertThat(policy.promotable(TabletType.RDONLY)).isFalse();
    }

    @Test
    void unsupportedPoliciesAreRefusedByName() {
        assertThatThrownBy(() -> DurabilityPolicy.parse("cross_cell"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cross_cell")
                .hasMessageContaining("semi_sync");
    }
}
