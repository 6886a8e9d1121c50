package io.tessera.gate.mysql;

import io.tessera.proto.query.Field;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.query.Row;
import io.tessera.proto.query.Type;
import io.tessera.queryservice.CompactRows;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** One column per value type with a sample value in MySQL's text form, as a tablet would send them. */
final class TypeSamples {
    record Sample(String name, Type type, byte[] value, int length, int decimals) {
        Sample(String name, Type type, String value, int length, int decimals) {
            this(name, type, value == null ? null : value.getBytes(StandardCharsets.UTF_8), length, decimals);
        }

        String text() {
            return value == null ? null : new String(value, StandardCharsets.UTF_8);
        }
    }

    static final byte[] VARBINARY_BYTES = {0, 1, 2, (byte) 0xff, 'z'};
    static final byte[] BLOB_BYTES = {(byte) 0x80, 0, (byte) 0x7f, 'b'};
    static final byte[] BIT_BYTES = {0x05};

    static final List<Sample> ALL = List.of(
            new Sample("c_tiny", Type.INT8, "-5", 4, 0),
            new Sample("c_utiny", Type.UINT8, "250", 3, 0),
            new Sample("c_small", Type.INT16, "-30000", 6, 0),
            new Sample("c_usmall", Type.UINT16, "65000", 5, 0),
            new Sample("c_medium", Type.INT24, "-8000000", 9, 0),
            new Sample("c_umedium", Type.UINT24, "16000000", 8, 0),
            new Sample("c_int", Type.INT32, "-2000000000", 11, 0),
            new Sample("c_uint", Type.UINT32, "4000000000", 10, 0),
            new Sample("c_big", Type.INT64, "-9000000000000000000", 20, 0),
            new Sample("c_ubig", Type.UINT64, "18446744073709551615", 20, 0),
            new Sample("c_float", Type.FLOAT32, "1.5", 12, 31),
            new Sample("c_double", Type.FLOAT64, "-2.25e-10", 22, 31),
            new Sample("c_decimal", Type.DECIMAL, "12345.678", 11, 3),
            new Sample("c_timestamp", Type.TIMESTAMP, "2024-01-02 03:04:05.123456", 26, 6),
            new Sample("c_datetime", Type.DATETIME, "2024-01-02 03:04:05", 19, 0),
            new Sample("c_date", Type.DATE, "2024-01-02", 10, 0),
            new Sample("c_time", Type.TIME, "12:34:56", 10, 0),
            new Sample("c_neg_time", Type.TIME, "-838:59:59.000000", 17, 6),
            new Sample("c_year", Type.YEAR, "2024", 4, 0),
            new Sample("c_varchar", Type.VARCHAR, "héllo wörld", 64, 0),
            new Sample("c_varbinary", Type.VARBINARY, VARBINARY_BYTES, 16, 0),
            new Sample("c_char", Type.CHAR, "abc", 12, 0),
            new Sample("c_binary", Type.BINARY, new byte[] {'a', 'b', 0}, 3, 0),
            new Sample("c_text", Type.TEXT, "some text", 65535, 0),
            new Sample("c_blob", Type.BLOB, BLOB_BYTES, 65535, 0),
            new Sample("c_bit", Type.BIT, BIT_BYTES, 8, 0),
            new Sample("c_enum", Type.ENUM, "b", 4, 0),
            new Sample("c_set", Type.SET, "a,c", 12, 0),
            new Sample("c_json", Type.JSON, "{\"a\": 1}", 1024, 0),
            new Sample("c_expression", Type.EXPRESSION, "expr", 4, 0),
            new Sample("c_null", Type.NULL_TYPE, (byte[]) null, 0, 0));

    private TypeSamples() {}

    static List<Field> fields() {
        List<Field> fields = new ArrayList<>();
        for (Sample s : ALL) {
            fields.add(Field.newBuilder().setName(s.name()).setOrgName(s.name()).setType(s.type())
                    .setTable("t").setOrgTable("t").setDatabase("ks").setColumnLength(s.length())
                    .setDecimals(s.decimals()).build());
        }
        return fields;
    }

    /** A result with the samples in the first row and all NULLs in the second. */
    static QueryResult result() {
        List<byte[]> values = new ArrayList<>();
        List<byte[]> nulls = new ArrayList<>();
        for (Sample s : ALL) {
            values.add(s.value());
            nulls.add(null);
        }
        Row row = CompactRows.of(values);
        return QueryResult.newBuilder().addAllFields(fields()).addRows(row).addRows(CompactRows.of(nulls)).build();
    }
}
