package io.tessera.topo.topoproto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.topodata.TabletType;
import org.junit.jupiter.api.Test;

class TabletAliasesAndTypesTest {
    @Test
    void aliasesFormatWithTenDigitsAndParseEitherWay() {
        TabletAlias a = TabletAlias.newBuilder().setCell("zone1").setUid(100).build();
        assertThat(TabletAliases.format(a)).isEqualTo("zone1-0000000100");
        assertThat(TabletAliases.parse("zone1-0000000100")).isEqualTo(a);
        assertThat(TabletAliases.parse("zone1-100")).isEqualTo(a);
        assertThat(TabletAliases.parse("us-east-1-7").getCell()).isEqualTo("us-east-1");
    }

    @Test
    void largeUidsSurviveTheUnsignedRoundTrip() {
        TabletAlias big = TabletAliases.parse("c-4294967295");
        assertThat(TabletAliases.format(big)).isEqualTo("c-4294967295");
    }

    @Test
    void badAliasesAreRejected() {
        assertThatThrownBy(() -> TabletAliases.parse("zone1")).hasMessageContaining("<cell>-<uid>");
        assertThatThrownBy(() -> TabletAliases.parse("zone1-abc")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> TabletAliases.parse("zone1-4294967296")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> TabletAliases.parse("-100")).hasMessageContaining("<cell>-<uid>");
    }

    @Test
    void typesParseWithTheirHistoricalAliases() {
        assertThat(TabletTypes.parse("master")).isEqualTo(TabletType.PRIMARY);
        assertThat(TabletTypes.parse("PRIMARY")).isEqualTo(TabletType.PRIMARY);
        assertThat(TabletTypes.parse("batch")).isEqualTo(TabletType.RDONLY);
        assertThat(TabletTypes.parse("rdonly")).isEqualTo(TabletType.RDONLY);
        assertThat(TabletTypes.parse("Replica")).isEqualTo(TabletType.REPLICA);
        assertThat(TabletTypes.name(TabletType.MASTER)).isEqualTo("primary");
        assertThat(TabletTypes.name(TabletType.BATCH)).isEqualTo("rdonly");
        assertThatThrownBy(() -> TabletTypes.parse("unknown")).hasMessageContaining("expected primary");
        assertThatThrownBy(() -> TabletTypes.parse("leader")).hasMessageContaining("unknown tablet type 'leader'");
    }
}
