package io.tessera.topo.topoproto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.proto.topodata.KeyRange;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class KeyRangesTest {
    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h);
    }

    @Test
    void zeroAndDashNameTheWholeRange() {
        assertThat(KeyRanges.parseShardName("0")).isEqualTo(KeyRanges.FULL);
        assertThat(KeyRanges.parseShardName("-")).isEqualTo(KeyRanges.FULL);
        assertThat(KeyRanges.format(KeyRanges.FULL)).isEqualTo("-");
    }

    @Test
    void boundsParseAsHexAndFormatBack() {
        KeyRange r = KeyRanges.parseShardName("40-80");
        assertThat(r.getStart().toByteArray()).isEqualTo(hex("40"));
        assertThat(r.getEnd().toByteArray()).isEqualTo(hex("80"));
        for (String name : new String[] {"-80", "80-", "40-80", "-4000", "c0-"}) {
            assertThat(KeyRanges.format(KeyRanges.parseShardName(name))).isEqualTo(name);
        }
        assertThat(KeyRanges.format(KeyRanges.parseShardName("A0-"))).isEqualTo("a0-");
    }

    @Test
    void badNamesAreRejectedWithTheReason() {
        assertThatThrownBy(() -> KeyRanges.parseShardName("8-")).hasMessageContaining("even number");
        assertThatThrownBy(() -> KeyRanges.parseShardName("zz-")).hasMessageContaining("not hex");
        assertThatThrownBy(() -> KeyRanges.parseShardName("80-40")).hasMessageContaining("below end");
        assertThatThrownBy(() -> KeyRanges.parseShardName("80-80")).hasMessageContaining("below end");
        assertThatThrownBy(() -> KeyRanges.parseShardName("-40-80")).hasMessageContaining("more than one");
        assertThatThrownBy(() -> KeyRanges.parseShardName("shard1")).hasMessageContaining("expected 0");
        assertThatThrownBy(() -> KeyRanges.parseShardName("")).hasMessageContaining("empty");
    }

    @Test
    void containsIsHalfOpenOverUnsignedBytes() {
        KeyRange low = KeyRanges.parseShardName("-80");
        KeyRange high = KeyRanges.parseShardName("80-");
        assertThat(KeyRanges.contains(low, hex("166b40b44aba4bd6"))).isTrue();
        assertThat(KeyRanges.contains(low, hex("7fffffffffffffff"))).isTrue();
        assertThat(KeyRanges.contains(low, hex("8000000000000000"))).isFalse();
        assertThat(KeyRanges.contains(high, hex("8000000000000000"))).isTrue();
        assertThat(KeyRanges.contains(high, hex("ffffffffffffffff"))).isTrue();
        assertThat(KeyRanges.contains(KeyRanges.FULL, hex("00"))).isTrue();
    }

    @Test
    void intersectionOfRanges() {
        assertThat(KeyRanges.intersect(KeyRanges.parseShardName("-80"), KeyRanges.parseShardName("80-"))).isFalse();
        assertThat(KeyRanges.intersect(KeyRanges.parseShardName("-80"), KeyRanges.parseShardName("40-c0"))).isTrue();
        assertThat(KeyRanges.intersect(KeyRanges.FULL, KeyRanges.parseShardName("c0-"))).isTrue();
        assertThat(KeyRanges.intersect(KeyRanges.parseShardName("40-80"), KeyRanges.parseShardName("-40"))).isFalse();
    }

    @Test
    void boundsCompareAsPaddedUnsignedBytes() {
        assertThat(KeyRanges.compare(hex("80"), hex("8000"))).isZero();
        assertThat(KeyRanges.compare(hex("7f"), hex("80"))).isNegative();
        assertThat(KeyRanges.compare(hex("ff"), hex("01"))).isPositive();
    }
}
