package io.tessera.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MariadbGtidPositionTest {

    private static GtidPosition pos(String text) {
        return MariadbGtidPosition.parse(text);
    }

    @Test
    void parsesAndPrintsOneGtid() {
        GtidPosition p = pos("0-100-7");
        assertThat(p).isInstanceOf(MariadbGtidPosition.class);
        assertThat(p.toString()).isEqualTo("0-100-7");
        assertThat(p.isEmpty()).isFalse();
        assertThat(((MariadbGtidPosition) p).gtids()).containsExactly(new MariadbGtid(0, 100, 7));
    }

    @Test
    void printsDomainsInAscendingOrderWithoutSpaces() {
        GtidPosition p = pos(" 2-300-1 , 0-100-42,1-200-3 ");
        assertThat(p.toString()).isEqualTo("0-100-42,1-200-3,2-300-1");
        assertThat(((MariadbGtidPosition) p).gtid(1)).contains(new MariadbGtid(1, 200, 3));
        assertThat(((MariadbGtidPosition) p).gtid(9)).isEmpty();
    }

    @Test
    void blankTextIsTheEmptyPosition() {
        assertThat(pos("")).isSameAs(GtidPosition.EMPTY);
        assertThat(pos("  ")).isSameAs(GtidPosition.EMPTY);
        assertThat(MariadbGtidPosition.of(List.of())).isSameAs(GtidPosition.EMPTY);
    }

    @Test
    void keepsFullUnsignedRanges() {
        GtidPosition p = pos("4294967295-4294967295-18446744073709551615");
        assertThat(p.toString()).isEqualTo("4294967295-4294967295-18446744073709551615");
        // The top sequence number is above Long.MAX_VALUE and must still compare as the largest.
        assertThat(p.contains(pos("4294967295-1-9223372036854775808"))).isTrue();
        assertThat(pos("4294967295-1-9223372036854775808").contains(p)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0-100", "0-100-7-1", "a-100-7", "0-100-x", "0--7", "-1-100-7", "0-100-+7",
            "4294967296-1-1", "0-4294967296-1", "0-1-18446744073709551616", "0-100-7,", ",0-100-7", "0-100-7,,1-1-1",
            "0 - 100 - 7", "0-100-7 1-1-1"})
    void rejectsMalformedText(String text) {
        assertThatThrownBy(() -> pos(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected a MariaDB GTID");
    }

    @Test
    void rejectsTwoGtidsForOneDomain() {
        assertThatThrownBy(() -> pos("0-100-7,0-101-9"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one GTID per domain")
                .hasMessageContaining("0-100-7 and 0-101-9");
        assertThatThrownBy(() -> MariadbGtidPosition.of(List.of(new MariadbGtid(0, 1, 1), new MariadbGtid(0, 2, 2))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> pos(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got null");
    }

    @Test
    void equalityFollowsTheCanonicalText() {
        assertThat(pos("1-200-3,0-100-42")).isEqualTo(pos("0-100-42,1-200-3"))
                .hasSameHashCodeAs(pos("0-100-42,1-200-3"));
        assertThat(pos("0-100-42")).isNotEqualTo(pos("0-101-42"));
        assertThat(pos("0-100-42")).isNotEqualTo(pos("0-100-43"));
    }

    @Test
    void containsComparesSequencesPerDomain() {
        GtidPosition p = pos("0-100-42,1-200-3");
        assertThat(p.contains(pos("0-100-42"))).isTrue();
        assertThat(p.contains(pos("0-100-41,1-200-3"))).isTrue();
        assertThat(p.contains(p)).isTrue();
        assertThat(p.contains(GtidPosition.EMPTY)).isTrue();
        assertThat(p.contains(pos("0-100-43"))).isFalse();
        assertThat(p.contains(pos("2-300-1"))).as("a domain this position lacks").isFalse();
        assertThat(pos("0-100-42").contains(p)).isFalse();
        // A higher sequence number contains a lower one whatever server wrote either.
        assertThat(p.contains(pos("0-555-40"))).isTrue();
        // The same sequence number from another server is another transaction.
        assertThat(p.contains(pos("0-555-42"))).isFalse();
        assertThat(pos("0-555-42").contains(p)).isFalse();
    }

    @Test
    void unionKeepsTheHigherSequencePerDomain() {
        GtidPosition a = pos("0-100-42,1-200-3");
        GtidPosition b = pos("0-101-40,1-201-9,2-300-1");
        assertThat(a.union(b).toString()).isEqualTo("0-100-42,1-201-9,2-300-1");
        assertThat(b.union(a)).isEqualTo(a.union(b));
        assertThat(a.union(GtidPosition.EMPTY)).isSameAs(a);
        assertThat(GtidPosition.EMPTY.union(a)).isSameAs(a);
        assertThat(a.union(b).contains(a)).isTrue();
        assertThat(a.union(b).contains(b)).isTrue();
    }

    @Test
    void unionKeepsThisPositionsGtidOnATie() {
        assertThat(pos("0-100-5").union(pos("0-101-5")).toString()).isEqualTo("0-100-5");
        assertThat(pos("0-101-5").union(pos("0-100-5")).toString()).isEqualTo("0-101-5");
        // Diverged positions have no union; the result keeps this position's GTID and cannot contain the other.
        assertThat(pos("0-100-5").union(pos("0-101-5")).contains(pos("0-101-5"))).isFalse();
        assertThat(pos("0-100-5").union(pos("0-100-5"))).isEqualTo(pos("0-100-5"));
    }

    @Test
    void refusesToMixWithMysqlPositions() {
        GtidPosition mysql = MysqlGtidPosition.parse("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5");
        assertThatThrownBy(() -> pos("0-100-1").contains(mysql))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one flavor");
        assertThatThrownBy(() -> pos("0-100-1").union(mysql))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one flavor");
    }

    @Test
    void gtidValidatesItsParts() {
        assertThatThrownBy(() -> new MariadbGtid(-1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MariadbGtid(1, 1L << 32, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(MariadbGtid.parse("3-4-5")).isEqualTo(new MariadbGtid(3, 4, 5));
        assertThat(new MariadbGtid(0, 1, -1).toString()).isEqualTo("0-1-18446744073709551615");
    }
}
