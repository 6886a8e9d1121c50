package io.tessera.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PositionsTest {
    private static final String UUID = "3e11fa47-71ca-11e1-9e33-c80aa9429562";

    @Test
    void encodesWithTheVitessFlavorPrefix() {
        assertThat(Positions.encode(MariadbGtidPosition.parse("1-200-3,0-100-42"))).isEqualTo("MariaDB/0-100-42,1-200-3");
        assertThat(Positions.encode(MysqlGtidPosition.parse(UUID + ":1-10"))).isEqualTo("MySQL56/" + UUID + ":1-10");
        assertThat(Positions.encode(GtidPosition.EMPTY)).isEmpty();
    }

    @Test
    void decodesEachFlavor() {
        assertThat(Positions.decode("MariaDB/0-100-42")).isEqualTo(MariadbGtidPosition.parse("0-100-42"));
        assertThat(Positions.decode("MySQL56/" + UUID + ":1-10:11-12"))
                .isEqualTo(MysqlGtidPosition.parse(UUID + ":1-12"));
    }

    @Test
    void emptyTextAndEmptySetsAreTheEmptyPosition() {
        assertThat(Positions.decode("")).isSameAs(GtidPosition.EMPTY);
        assertThat(Positions.decode("MariaDB/")).isSameAs(GtidPosition.EMPTY);
        assertThat(Positions.decode("MySQL56/")).isSameAs(GtidPosition.EMPTY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"MariaDB/0-100-42,1-200-3", "MySQL56/" + UUID + ":1-5:7-9,4f22ab58-71ca-11e1-9e33-c80aa9429562:1", ""})
    void roundTrips(String encoded) {
        assertThat(Positions.encode(Positions.decode(encoded))).isEqualTo(encoded);
    }

    @Test
    void rejectsTextWithoutAFlavor() {
        assertThatThrownBy(() -> Positions.decode("0-100-42"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'<flavor>/<gtid set>'")
                .hasMessageContaining("without a flavor");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mariadb/0-100-42", "MySQL/" + UUID + ":1", "FilePos/binlog.000001:4", "/0-1-1"})
    void rejectsUnknownFlavors(String encoded) {
        assertThatThrownBy(() -> Positions.decode(encoded))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown flavor");
    }

    @Test
    void rejectsASetThatDoesNotMatchItsFlavor() {
        assertThatThrownBy(() -> Positions.decode("MariaDB/" + UUID + ":1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MariaDB GTID");
        assertThatThrownBy(() -> Positions.decode("MySQL56/0-100-42"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MySQL GTID set");
        assertThatThrownBy(() -> Positions.decode(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void filePositionsUseTheVitessTextForm() {
        assertThat(new BinlogFilePosition("binlog.000001", 1716).encode()).isEqualTo("FilePos/binlog.000001:1716");
        assertThatThrownBy(() -> new BinlogFilePosition(" ", 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BinlogFilePosition("binlog.000001", -1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
