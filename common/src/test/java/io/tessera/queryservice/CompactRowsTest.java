package io.tessera.queryservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.tessera.proto.query.Row;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompactRowsTest {
    @Test
    void encodesValuesBackToBackWithLengthsAndMinusOneForNull() {
        Row row = CompactRows.of(Arrays.asList("ab".getBytes(), null, new byte[0], new byte[] {0, (byte) 0xff}));
        assertThat(row.getLengthsList()).containsExactly(2L, -1L, 0L, 2L);
        assertThat(row.getValues()).isEqualTo(ByteString.copyFrom(new byte[] {'a', 'b', 0, (byte) 0xff}));
        List<ByteString> values = CompactRows.values(row);
        assertThat(values.get(0).toStringUtf8()).isEqualTo("ab");
        assertThat(values.get(1)).isNull();
        assertThat(values.get(2).isEmpty()).isTrue();
        assertThat(values.get(3).toByteArray()).containsExactly(0, 0xff);
        assertThat(CompactRows.strings(CompactRows.ofStrings("x", null))).containsExactly("x", null);
    }

    @Test
    void refusesLengthsThatDoNotMatchTheBytes() {
        Row tooLong = Row.newBuilder().addLengths(5).setValues(ByteString.copyFromUtf8("abc")).build();
        Row leftover = Row.newBuilder().addLengths(1).setValues(ByteString.copyFromUtf8("abc")).build();
        assertThatThrownBy(() -> CompactRows.values(tooLong)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CompactRows.values(leftover)).isInstanceOf(IllegalArgumentException.class);
    }
}
