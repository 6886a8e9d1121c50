package io.tessera.queryservice;

import com.google.protobuf.ByteString;
import io.tessera.proto.query.Row;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads and writes {@link Row}s in their compact form: the values of a row concatenated in one byte string, with
 * the length of each in {@code lengths} and -1 for NULL (which takes no bytes).
 */
public final class CompactRows {
    private CompactRows() {}

    /**
     * The values of {@code row}, in column order; a NULL is {@code null}. The returned byte strings share the row's
     * memory rather than copying it.
     *
     * @throws IllegalArgumentException if the lengths do not add up to the bytes present
     */
    public static List<ByteString> values(Row row) {
        ByteString bytes = row.getValues();
        List<ByteString> out = new ArrayList<>(row.getLengthsCount());
        int offset = 0;
        for (int i = 0; i < row.getLengthsCount(); i++) {
            long length = row.getLengths(i);
            if (length < 0) {
                out.add(null);
                continue;
            }
            if (length > bytes.size() - offset) {
                throw new IllegalArgumentException("row value " + i + " of length " + length + " runs past the "
                        + bytes.size() + " bytes of the row");
            }
            out.add(bytes.substring(offset, offset + (int) length));
            offset += (int) length;
        }
        if (offset != bytes.size()) {
            throw new IllegalArgumentException("row has " + (bytes.size() - offset) + " bytes past its last value");
        }
        return Collections.unmodifiableList(out);
    }

    /** The values of {@code row} decoded as UTF-8 text; a NULL is {@code null}. Handy for tests and tools. */
    public static List<String> strings(Row row) {
        List<String> out = new ArrayList<>(row.getLengthsCount());
        for (ByteString v : values(row)) {
            out.add(v == null ? null : v.toStringUtf8());
        }
        return out;
    }

    /** A row of these values; a {@code null} element is a NULL. */
    public static Row of(List<byte[]> values) {
        Row.Builder row = Row.newBuilder();
        ByteString.Output bytes = ByteString.newOutput();
        for (byte[] v : values) {
            if (v == null) {
                row.addLengths(-1);
            } else {
                row.addLengths(v.length);
                bytes.write(v, 0, v.length);
            }
        }
        return row.setValues(bytes.toByteString()).build();
    }

    /** A row of these values as UTF-8 text; a {@code null} element is a NULL. */
    public static Row ofStrings(String... values) {
        List<byte[]> bytes = new ArrayList<>(values.length);
        for (String v : values) {
            bytes.add(v == null ? null : v.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return of(bytes);
    }
}
