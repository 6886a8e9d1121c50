package io.tessera.tablet.queryservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.proto.query.Row;
import io.tessera.queryservice.CompactRows;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TextRowsTest {
    @Test
    void decodesLengthEncodedValuesAndNulls() {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(1);
        p.write('7');
        p.write(0xfb); // NULL
        p.write(0); // empty string
        byte[] big = new byte[300];
        Arrays.fill(big, (byte) 'x');
        p.write(0xfc);
        p.write(300 & 0xff);
        p.write(300 >> 8);
        p.writeBytes(big);
        p.write(2);
        p.write(0);
        p.write(0xff);
        Row row = TextRows.decode(p.toByteArray(), 5);
        assertThat(row.getLengthsList()).containsExactly(1L, -1L, 0L, 300L, 2L);
        assertThat(CompactRows.values(row).get(0).toStringUtf8()).isEqualTo("7");
        assertThat(CompactRows.values(row).get(1)).isNull();
        assertThat(CompactRows.values(row).get(3).toByteArray()).isEqualTo(big);
        assertThat(CompactRows.values(row).get(4).toByteArray()).containsExactly(0, 0xff);
    }

    @Test
    void refusesAPacketThatDoesNotMatchTheColumns() {
        assertThatThrownBy(() -> TextRows.decode(new byte[] {1, 'a'}, 2)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> TextRows.decode(new byte[] {1, 'a', 1, 'b'}, 1))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> TextRows.decode(new byte[] {5, 'a'}, 1)).isInstanceOf(IllegalStateException.class);
    }
}
