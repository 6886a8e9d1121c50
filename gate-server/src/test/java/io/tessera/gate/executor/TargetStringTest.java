package io.tessera.gate.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.proto.topodata.TabletType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TargetStringTest {
    @ParameterizedTest(name = "''{0}''")
    @CsvSource(delimiter = '|', emptyValue = "", textBlock = """
            ''                 |          |      | UNKNOWN | ''
            commerce           | commerce |      | UNKNOWN | commerce
            commerce@primary   | commerce |      | PRIMARY | commerce@primary
            commerce@master    | commerce |      | PRIMARY | commerce@primary
            commerce@replica   | commerce |      | REPLICA | commerce@replica
            commerce@RDONLY    | commerce |      | RDONLY  | commerce@rdonly
            commerce@batch     | commerce |      | RDONLY  | commerce@rdonly
            commerce:0         | commerce | 0    | UNKNOWN | commerce:0
            commerce/0         | commerce | 0    | UNKNOWN | commerce:0
            ks:-80@replica     | ks       | -80  | REPLICA | ks:-80@replica
            ks:80-@rdonly      | ks       | 80-  | RDONLY  | ks:80-@rdonly
            @replica           |          |      | REPLICA | @replica
            ' commerce '       | commerce |      | UNKNOWN | commerce
            """)
    void parsesAndFormats(String text, String keyspace, String shard, TabletType type, String formatted) {
        TargetString t = TargetString.parse(text);
        assertThat(t).isEqualTo(new TargetString(keyspace == null ? "" : keyspace, shard == null ? "" : shard, type));
        assertThat(t.format()).isEqualTo(formatted);
        assertThat(TargetString.parse(t.format())).isEqualTo(t);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ks@spare", "ks@", ":0", "ks:", "ks[-80]", "ks[10]@replica", "@"})
    void refusesWhatIsNotATarget(String text) {
        assertThatThrownBy(() -> TargetString.parse(text)).isInstanceOfSatisfying(TesseraException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.UNKNOWN_DATABASE);
            assertThat(e.mysqlErrno()).isEqualTo(1049);
        });
    }

    @Test
    void aTypeOnlyTargetKeepsTheKeyspace() {
        TargetString current = TargetString.parse("commerce:0");
        assertThat(TargetString.parse("@replica").appliedTo(current).format()).isEqualTo("commerce:0@replica");
        assertThat(TargetString.parse("customer").appliedTo(current).format()).isEqualTo("customer");
        assertThat(TargetString.NONE.isEmpty()).isTrue();
    }
}
