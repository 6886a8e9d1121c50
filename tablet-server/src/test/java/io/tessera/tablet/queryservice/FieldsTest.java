package io.tessera.tablet.queryservice;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.proto.query.MySqlFlag;
import io.tessera.proto.query.Type;
import org.junit.jupiter.api.Test;

class FieldsTest {
    private static final int UNSIGNED = MySqlFlag.UNSIGNED_FLAG_VALUE;
    private static final int UTF8MB4 = 45;

    @Test
    void mapsProtocolTypesFlagsAndCollations() {
        assertThat(Fields.type(1, 0, 63)).isEqualTo(Type.INT8);
        assertThat(Fields.type(1, UNSIGNED, 63)).isEqualTo(Type.UINT8);
        assertThat(Fields.type(9, UNSIGNED, 63)).isEqualTo(Type.UINT24);
        assertThat(Fields.type(8, 0, 63)).isEqualTo(Type.INT64);
        assertThat(Fields.type(8, UNSIGNED, 63)).isEqualTo(Type.UINT64);
        assertThat(Fields.type(246, 0, 63)).isEqualTo(Type.DECIMAL);
        assertThat(Fields.type(253, 0, UTF8MB4)).isEqualTo(Type.VARCHAR);
        assertThat(Fields.type(253, MySqlFlag.BINARY_FLAG_VALUE, 63)).isEqualTo(Type.VARBINARY);
        // A _bin collation sets BINARY_FLAG but is still text.
        assertThat(Fields.type(253, MySqlFlag.BINARY_FLAG_VALUE, 46)).isEqualTo(Type.VARCHAR);
        assertThat(Fields.type(254, 0, UTF8MB4)).isEqualTo(Type.CHAR);
        assertThat(Fields.type(254, 0, 63)).isEqualTo(Type.BINARY);
        assertThat(Fields.type(254, MySqlFlag.ENUM_FLAG_VALUE, UTF8MB4)).isEqualTo(Type.ENUM);
        assertThat(Fields.type(254, MySqlFlag.SET_FLAG_VALUE, UTF8MB4)).isEqualTo(Type.SET);
        assertThat(Fields.type(252, 0, UTF8MB4)).isEqualTo(Type.TEXT);
        assertThat(Fields.type(252, 0, 63)).isEqualTo(Type.BLOB);
        assertThat(Fields.type(12, 0, 63)).isEqualTo(Type.DATETIME);
        assertThat(Fields.type(7, 0, 63)).isEqualTo(Type.TIMESTAMP);
        assertThat(Fields.type(16, UNSIGNED, 63)).isEqualTo(Type.BIT);
        assertThat(Fields.type(245, 0, UTF8MB4)).isEqualTo(Type.JSON);
        assertThat(Fields.type(6, 0, 63)).isEqualTo(Type.NULL_TYPE);
    }
}
