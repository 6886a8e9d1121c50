package io.tessera.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MostAdvancedTest {
    private static final String A = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    private static final String B = "4f22ab58-71ca-11e1-9e33-c80aa9429562";

    private static GtidPosition maria(String text) {
        return MariadbGtidPosition.parse(text);
    }

    private static GtidPosition mysql(String text) {
        return MysqlGtidPosition.parse(text);
    }

    private static Map<String, GtidPosition> positions(Object... aliasesAndPositions) {
        Map<String, GtidPosition> map = new LinkedHashMap<>();
        for (int i = 0; i < aliasesAndPositions.length; i += 2) {
            map.put((String) aliasesAndPositions[i], (GtidPosition) aliasesAndPositions[i + 1]);
        }
        return map;
    }

    @Test
    void comparesMariadbPositions() {
        assertThat(maria("0-100-7").compareWith(maria("0-100-7"))).isEqualTo(PositionComparison.EQUAL);
        assertThat(maria("0-100-8").compareWith(maria("0-100-7"))).isEqualTo(PositionComparison.AHEAD);
        assertThat(maria("0-100-7").compareWith(maria("0-100-8"))).isEqualTo(PositionComparison.BEHIND);
        assertThat(maria("0-100-8").compareWith(maria("0-100-7,1-200-1"))).isEqualTo(PositionComparison.DIVERGED);
        assertThat(maria("0-100-7").compareWith(GtidPosition.EMPTY)).isEqualTo(PositionComparison.AHEAD);
        assertThat(GtidPosition.EMPTY.compareWith(maria("0-100-7"))).isEqualTo(PositionComparison.BEHIND);
        assertThat(GtidPosition.EMPTY.compareWith(GtidPosition.EMPTY)).isEqualTo(PositionComparison.EQUAL);
    }

    @Test
    void sameSequenceFromDifferentServersIsDivergence() {
        // Under gtid_strict_mode, 0-100-7 and 0-101-7 are two different transactions numbered 7.
        assertThat(maria("0-100-7").compareWith(maria("0-101-7"))).isEqualTo(PositionComparison.DIVERGED);
    }

    @Test
    void comparesMysqlSets() {
        assertThat(mysql(A + ":1-10").compareWith(mysql(A + ":1-9"))).isEqualTo(PositionComparison.AHEAD);
        assertThat(mysql(A + ":1-9").compareWith(mysql(A + ":1-10"))).isEqualTo(PositionComparison.BEHIND);
        assertThat(mysql(A + ":1-10," + B + ":1").compareWith(mysql(A + ":1-11")))
                .isEqualTo(PositionComparison.DIVERGED);
    }

    @Test
    void comparingAcrossFlavorsIsRefused() {
        assertThatThrownBy(() -> maria("0-1-1").compareWith(mysql(A + ":1")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void findsTheSingleMostAdvancedServer() {
        MostAdvanced.Outcome<String> outcome = MostAdvanced.among(positions(
                "zone1-101", maria("0-100-40"),
                "zone1-102", maria("0-100-42"),
                "zone1-103", maria("0-100-41")));
        assertThat(outcome).isEqualTo(new MostAdvanced.Found<>(java.util.List.of("zone1-102"), maria("0-100-42")));
    }

    @Test
    void reportsEveryServerTiedAtTheTop() {
        MostAdvanced.Outcome<String> outcome = MostAdvanced.among(positions(
                "r1", mysql(A + ":1-10"),
                "r2", mysql(A + ":1-8"),
                "r3", mysql(A + ":1-10"),
                "r4", GtidPosition.EMPTY));
        assertThat(outcome).isInstanceOf(MostAdvanced.Found.class);
        MostAdvanced.Found<String> found = (MostAdvanced.Found<String>) outcome;
        assertThat(found.leaders()).containsExactly("r1", "r3");
        assertThat(found.position()).isEqualTo(mysql(A + ":1-10"));
    }

    @Test
    void aSingleServerLeads() {
        assertThat(MostAdvanced.among(Map.of("only", GtidPosition.EMPTY)))
                .isEqualTo(new MostAdvanced.Found<>(java.util.List.of("only"), GtidPosition.EMPTY));
    }

    @Test
    void reportsTwoServersThatDiverged() {
        MostAdvanced.Outcome<String> outcome = MostAdvanced.among(positions(
                "r1", mysql(A + ":1-10"),
                "r2", mysql(A + ":1-10," + B + ":1"),
                "r3", mysql(A + ":1-11")));
        assertThat(outcome).isEqualTo(new MostAdvanced.Diverged<>(
                "r2", mysql(A + ":1-10," + B + ":1"), "r3", mysql(A + ":1-11")));
    }

    @Test
    void reportsMariadbServersWithTheSameSequenceFromDifferentOrigins() {
        // r2 is ahead of r1, but its transaction 5 is not r1's transaction 5.
        MostAdvanced.Outcome<String> outcome = MostAdvanced.among(positions(
                "r1", maria("0-101-5"),
                "r2", maria("0-100-5,1-200-1")));
        assertThat(outcome).isEqualTo(new MostAdvanced.Diverged<>(
                "r1", maria("0-101-5"), "r2", maria("0-100-5,1-200-1")));
    }

    @Test
    void aServerBehindAnEarlierLeaderDoesNotHideALaterOne() {
        MostAdvanced.Outcome<String> outcome = MostAdvanced.among(positions(
                "r1", maria("0-100-5"),
                "r2", maria("0-100-4"),
                "r3", maria("0-100-9,1-200-2"),
                "r4", maria("0-100-9")));
        assertThat(outcome).isEqualTo(new MostAdvanced.Found<>(java.util.List.of("r3"), maria("0-100-9,1-200-2")));
    }

    @Test
    void refusesAnEmptyChoice() {
        assertThatThrownBy(() -> MostAdvanced.among(Map.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
