package io.tessera.ctl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.topodata.TabletType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValuesTest {

    @Test
    void aliasesParseWithOrWithoutPaddingAndPrintPadded() throws Exception {
        TabletAlias a = Values.alias("zone1-100");
        assertThat(a).isEqualTo(TabletAlias.newBuilder().setCell("zone1").setUid(100).build());
        assertThat(Values.aliasString(a)).isEqualTo("zone1-0000000100");
        assertThat(Values.alias("zone1-0000000100")).isEqualTo(a);
        assertThat(Values.alias("us-east-1-7").getCell()).isEqualTo("us-east-1");
        assertThat(Values.aliasString(Values.alias("c-4294967295"))).isEqualTo("c-4294967295");
    }

    @ParameterizedTest
    @ValueSource(strings = {"zone1", "zone1-", "-100", "zone1-10a", "zone1-+1", "zone1-4294967296", ""})
    void malformedAliasesAreRefused(String text) {
        assertThatThrownBy(() -> Values.alias(text)).isInstanceOf(UsageException.class)
                .hasMessageStartingWith("malformed tablet alias \"" + text + "\"");
    }

    @Test
    void keyspaceShard() throws Exception {
        assertThat(Values.keyspaceShard("customer/-80")).isEqualTo(new Values.KeyspaceShard("customer", "-80"));
        assertThat(Values.keyspaceShard("commerce/0").toString()).isEqualTo("commerce/0");
        for (String bad : new String[] {"commerce", "/0", "commerce/", "a/b/c"}) {
            assertThatThrownBy(() -> Values.keyspaceShard(bad))
                    .hasMessageStartingWith("malformed keyspace/shard \"" + bad + "\"");
        }
    }

    @Test
    void tabletTypesInAnyCaseWithOldNames() throws Exception {
        assertThat(Values.tabletType("replica")).isEqualTo(TabletType.REPLICA);
        assertThat(Values.tabletType("PRIMARY")).isEqualTo(TabletType.PRIMARY);
        assertThat(Values.tabletType("master")).isEqualTo(TabletType.PRIMARY);
        assertThat(Values.tabletType("batch")).isEqualTo(TabletType.RDONLY);
        assertThatThrownBy(() -> Values.tabletType("boss")).hasMessageContaining("expected one of primary, replica");
        assertThatThrownBy(() -> Values.tabletType("unknown")).isInstanceOf(UsageException.class);
    }
}
