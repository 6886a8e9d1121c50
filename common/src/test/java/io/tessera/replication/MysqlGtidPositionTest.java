package io.tessera.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MysqlGtidPositionTest {
    private static final String A = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    private static final String B = "4f22ab58-71ca-11e1-9e33-c80aa9429562";

    private static GtidPosition set(String text) {
        return MysqlGtidPosition.parse(text);
    }

    @Test
    void parsesAndPrintsIntervals() {
        GtidPosition p = set(A + ":1-5:7-9:11");
        assertThat(p).isInstanceOf(MysqlGtidPosition.class);
        assertThat(p.toString()).isEqualTo(A + ":1-5:7-9:11");
        MysqlGtidPosition mysql = (MysqlGtidPosition) p;
        assertThat(mysql.uuids()).containsExactly(A);
        assertThat(mysql.intervals(A)).containsExactly(new GtidInterval(1, 5), new GtidInterval(7, 9),
                new GtidInterval(11, 11));
        assertThat(mysql.intervals(B)).isEmpty();
    }

    @Test
    void normalisesOrderCaseOverlapsAndAdjacentIntervals() {
        GtidPosition p = set(B.toUpperCase() + ":3, " + A + ":7-9:1-5:6:20-25:22-30");
        assertThat(p.toString()).isEqualTo(A + ":1-9:20-30," + B + ":3");
        assertThat(((MysqlGtidPosition) p).intervals(B.toUpperCase())).containsExactly(new GtidInterval(3, 3));
    }

    @Test
    void parsesTheMultiLineTextOfShowReplicaStatus() {
        GtidPosition p = set(A + ":1-10,\n" + B + ":1-3");
        assertThat(p.toString()).isEqualTo(A + ":1-10," + B + ":1-3");
    }

    @Test
    void mergesAUuidListedTwice() {
        assertThat(set(A + ":1-3," + A + ":4-6:9").toString()).isEqualTo(A + ":1-6:9");
    }

    @Test
    void blankTextIsTheEmptySet() {
        assertThat(set("")).isSameAs(GtidPosition.EMPTY);
        assertThat(set(" \n")).isSameAs(GtidPosition.EMPTY);
    }

    @Test
    void handlesTheLargestTransactionNumber() {
        String max = Long.toString(Long.MAX_VALUE);
        GtidPosition p = set(A + ":1-" + max + ":5");
        assertThat(p.toString()).isEqualTo(A + ":1-" + max);
        assertThat(set(A + ":" + max + ":" + (Long.MAX_VALUE - 1)).toString())
                .isEqualTo(A + ":" + (Long.MAX_VALUE - 1) + "-" + max);
    }

    @ParameterizedTest
    @ValueSource(strings = {A, A + ":", A + ":0", A + ":0-5", A + ":5-3", A + ":1-", A + ":-5", A + ":1-2-3",
            A + ":x", A + ":1,", "," + A + ":1", "3e11fa47-71ca-11e1-9e33:1-5", "3e11fa4771ca11e19e33c80aa9429562:1",
            "zz11fa47-71ca-11e1-9e33-c80aa9429562:1", A + ":9223372036854775808", A + ":1 2"})
    void rejectsMalformedText(String text) {
        assertThatThrownBy(() -> set(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected");
    }

    @Test
    void rejectsTaggedGtidsWithAClearMessage() {
        assertThatThrownBy(() -> set(A + ":batch:1-5"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tagged GTIDs");
    }

    @Test
    void equalityIgnoresHowTheSetWasWritten() {
        assertThat(set(A + ":1-3:4-5")).isEqualTo(set(A.toUpperCase() + ":1-5"))
                .hasSameHashCodeAs(set(A + ":1-5"));
        assertThat(set(A + ":1-5")).isNotEqualTo(set(A + ":1-6"));
    }

    @Test
    void containsIsSetInclusion() {
        GtidPosition p = set(A + ":1-10:20-30," + B + ":1-3");
        assertThat(p.contains(set(A + ":2-9"))).isTrue();
        assertThat(p.contains(set(A + ":1-10:25," + B + ":3"))).isTrue();
        assertThat(p.contains(p)).isTrue();
        assertThat(p.contains(GtidPosition.EMPTY)).isTrue();
        assertThat(p.contains(set(A + ":10-20"))).as("spans the gap 11-19").isFalse();
        assertThat(p.contains(set(A + ":31"))).isFalse();
        assertThat(p.contains(set(A + ":15"))).isFalse();
        assertThat(p.contains(set("5a33bc69-71ca-11e1-9e33-c80aa9429562:1"))).as("unknown uuid").isFalse();
        assertThat(set(A + ":1-10").contains(p)).isFalse();
    }

    @Test
    void unionJoinsIntervals() {
        GtidPosition a = set(A + ":1-5:10-12");
        GtidPosition b = set(A + ":6-8:13," + B + ":1");
        assertThat(a.union(b).toString()).isEqualTo(A + ":1-8:10-13," + B + ":1");
        assertThat(b.union(a)).isEqualTo(a.union(b));
        assertThat(a.union(GtidPosition.EMPTY)).isSameAs(a);
        assertThat(GtidPosition.EMPTY.union(b)).isSameAs(b);
    }

    @Test
    void subtractFindsWhatOnlyThisSetHas() {
        MysqlGtidPosition replica = (MysqlGtidPosition) set(A + ":1-20," + B + ":1-3");
        assertThat(replica.subtract(set(A + ":1-20")).toString()).isEqualTo(B + ":1-3");
        assertThat(replica.subtract(set(A + ":3-5:8:15-30," + B + ":2")).toString())
                .isEqualTo(A + ":1-2:6-7:9-14," + B + ":1:3");
        assertThat(replica.subtract(set(A + ":1-100," + B + ":1-3"))).isSameAs(GtidPosition.EMPTY);
        assertThat(replica.subtract(GtidPosition.EMPTY)).isSameAs(replica);
        assertThatThrownBy(() -> replica.subtract(MariadbGtidPosition.parse("0-1-1")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesToMixWithMariadbPositions() {
        GtidPosition mariadb = MariadbGtidPosition.parse("0-100-1");
        assertThatThrownBy(() -> set(A + ":1").contains(mariadb)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> set(A + ":1").union(mariadb)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void intervalValidatesItsBounds() {
        assertThatThrownBy(() -> new GtidInterval(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GtidInterval(5, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new GtidInterval(4, 4).toString()).isEqualTo("4");
        assertThat(new GtidInterval(4, 6).toString()).isEqualTo("4-6");
    }
}
