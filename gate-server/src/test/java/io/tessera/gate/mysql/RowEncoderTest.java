package io.tessera.gate.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.proto.query.Field;
import io.tessera.proto.query.Row;
import io.tessera.proto.query.Type;
import io.tessera.queryservice.CompactRows;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowEncoderTest {
    private static byte[] binary(Type type, String value) {
        PacketBuilder p = new PacketBuilder();
        RowEncoder.writeBinary(p, CompactRows.ofStrings(value), RowEncoder.typeCodes(
                List.of(Field.newBuilder().setType(type).build())));
        byte[] all = p.toByteArray();
        // Skip the 0x00 header and the one-byte NULL bitmap.
        return java.util.Arrays.copyOfRange(all, 2, all.length);
    }

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    @Test
    void integersAreLittleEndianOfTheirColumnWidth() {
        assertThat(binary(Type.INT8, "-5")).isEqualTo(bytes(0xfb));
        assertThat(binary(Type.UINT8, "250")).isEqualTo(bytes(250));
        assertThat(binary(Type.INT16, "-2")).isEqualTo(bytes(0xfe, 0xff));
        assertThat(binary(Type.YEAR, "2024")).isEqualTo(bytes(0xe8, 0x07));
        assertThat(binary(Type.INT24, "1")).isEqualTo(bytes(1, 0, 0, 0));
        assertThat(binary(Type.UINT32, "4294967295")).isEqualTo(bytes(0xff, 0xff, 0xff, 0xff));
        assertThat(binary(Type.UINT64, "18446744073709551615")).isEqualTo(bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                0xff, 0xff));
        assertThat(binary(Type.INT64, "-1")).isEqualTo(bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff));
    }

    @Test
    void floatsAreIeeeBits() {
        assertThat(binary(Type.FLOAT32, "1.5")).isEqualTo(bytes(0, 0, 0xc0, 0x3f));
        assertThat(binary(Type.FLOAT64, "2")).isEqualTo(bytes(0, 0, 0, 0, 0, 0, 0, 0x40));
    }

    @Test
    void datesAndTimesUseTheShortestForm() {
        assertThat(binary(Type.DATE, "0000-00-00")).isEqualTo(bytes(0));
        assertThat(binary(Type.DATE, "2024-01-02")).isEqualTo(bytes(4, 0xe8, 0x07, 1, 2));
        assertThat(binary(Type.DATETIME, "2024-01-02 00:00:00")).isEqualTo(bytes(4, 0xe8, 0x07, 1, 2));
        assertThat(binary(Type.DATETIME, "2024-01-02 03:04:05")).isEqualTo(bytes(7, 0xe8, 0x07, 1, 2, 3, 4, 5));
        assertThat(binary(Type.TIMESTAMP, "2024-01-02 03:04:05.000001"))
                .isEqualTo(bytes(11, 0xe8, 0x07, 1, 2, 3, 4, 5, 1, 0, 0, 0));
        assertThat(binary(Type.DATETIME, "2024-01-02 03:04:05.5")).isEqualTo(bytes(11, 0xe8, 0x07, 1, 2, 3, 4, 5,
                0x20, 0xa1, 0x07, 0));
        assertThat(binary(Type.TIME, "00:00:00")).isEqualTo(bytes(0));
        assertThat(binary(Type.TIME, "-838:59:59.000000")).isEqualTo(bytes(8, 1, 34, 0, 0, 0, 22, 59, 59));
        assertThat(binary(Type.TIME, "25:00:01.000002")).isEqualTo(bytes(12, 0, 1, 0, 0, 0, 1, 0, 1, 2, 0, 0, 0));
    }

    @Test
    void everythingElseIsALengthEncodedString() {
        assertThat(binary(Type.DECIMAL, "1.50")).isEqualTo(bytes(4, '1', '.', '5', '0'));
        assertThat(binary(Type.VARCHAR, "ab")).isEqualTo(bytes(2, 'a', 'b'));
        assertThat(binary(Type.JSON, "{}")).isEqualTo(bytes(2, '{', '}'));
    }

    @Test
    void nullsGoInTheBitmapFromBitTwo() {
        PacketBuilder p = new PacketBuilder();
        Row row = CompactRows.ofStrings(null, "1", null, null, null, null, null, "x");
        Field i = Field.newBuilder().setType(Type.INT8).build();
        Field v = Field.newBuilder().setType(Type.VARCHAR).build();
        RowEncoder.writeBinary(p, row, RowEncoder.typeCodes(List.of(v, i, v, v, v, v, v, v)));
        // 8 columns + 2 offset bits = 2 bitmap bytes; columns 0, 2..6 are NULL: bits 2, 4, 5, 6, 7, 8.
        assertThat(p.toByteArray()).isEqualTo(bytes(0, 0b1111_0100, 0b0000_0001, 1, 1, 'x'));
    }

    @Test
    void textRowsAreLengthEncodedWithNullMarkers() {
        PacketBuilder p = new PacketBuilder();
        RowEncoder.writeText(p, CompactRows.ofStrings("a", null, ""), 3);
        assertThat(p.toByteArray()).isEqualTo(bytes(1, 'a', 0xfb, 0));
    }

    @Test
    void inconsistentRowsAreRefused() {
        assertThatThrownBy(() -> RowEncoder.writeText(new PacketBuilder(), CompactRows.ofStrings("a"), 2))
                .isInstanceOf(IllegalArgumentException.class);
        Row broken = Row.newBuilder().addLengths(5).setValues(com.google.protobuf.ByteString.copyFromUtf8("ab"))
                .build();
        assertThatThrownBy(() -> RowEncoder.writeText(new PacketBuilder(), broken, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> binary(Type.DATE, "yesterday")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> binary(Type.INT32, "1.5")).isInstanceOf(IllegalArgumentException.class);
    }
}
