package io.tessera.client;

import com.google.protobuf.ByteString;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One row of a result. Values are MySQL's text form of each value (as the MySQL text protocol has them): numbers
 * in decimal, dates as {@code 2024-02-29 13:45:00}, strings in the column's character set (UTF-8 for the usual
 * utf8mb4 columns), binary columns as their bytes. A SQL NULL is {@code null} from every getter returning an
 * object.
 *
 * <p>Columns are numbered from 0. Looking a column up by name finds the first column of that name, ignoring case
 * when no column has exactly that name.
 */
public final class Row {
    private final Columns columns;
    private final List<ByteString> values;

    Row(Columns columns, List<ByteString> values) {
        this.columns = Objects.requireNonNull(columns, "columns");
        this.values = Objects.requireNonNull(values, "values");
    }

    /** The number of values in the row. */
    public int size() {
        return values.size();
    }

    /** The result's columns (empty when the gate sent rows without describing them). */
    public List<Column> columns() {
        return columns.list();
    }

    /** True if the value in column {@code index} is NULL. */
    public boolean isNull(int index) {
        return values.get(index) == null;
    }

    /** True if the value in column {@code name} is NULL. */
    public boolean isNull(String name) {
        return isNull(columns.indexOf(name));
    }

    /** The value in column {@code index} as text (decoded as UTF-8), or null for NULL. */
    public String get(int index) {
        ByteString v = values.get(index);
        return v == null ? null : v.toString(StandardCharsets.UTF_8);
    }

    /** The value in column {@code name} as text (decoded as UTF-8), or null for NULL. */
    public String get(String name) {
        return get(columns.indexOf(name));
    }

    /**
     * The value in column {@code index} as a signed 64-bit integer, or null for NULL.
     *
     * @throws NumberFormatException if the value is not an integer in the signed 64-bit range (for example a
     *     BIGINT UNSIGNED above 2^63-1: read it with {@link #getBigDecimal})
     */
    public Long getLong(int index) {
        String v = get(index);
        return v == null ? null : Long.parseLong(v);
    }

    /** As {@link #getLong(int)}, for column {@code name}. */
    public Long getLong(String name) {
        return getLong(columns.indexOf(name));
    }

    /**
     * The value in column {@code index} as an exact number, or null for NULL.
     *
     * @throws NumberFormatException if the value is not a number
     */
    public BigDecimal getBigDecimal(int index) {
        String v = get(index);
        return v == null ? null : new BigDecimal(v);
    }

    /** As {@link #getBigDecimal(int)}, for column {@code name}. */
    public BigDecimal getBigDecimal(String name) {
        return getBigDecimal(columns.indexOf(name));
    }

    /** The value in column {@code index} as its bytes (a fresh copy), or null for NULL. */
    public byte[] getBytes(int index) {
        ByteString v = values.get(index);
        return v == null ? null : v.toByteArray();
    }

    /** As {@link #getBytes(int)}, for column {@code name}. */
    public byte[] getBytes(String name) {
        return getBytes(columns.indexOf(name));
    }

    /** Every value as text, in column order, NULLs as null. */
    public List<String> values() {
        List<String> out = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            out.add(get(i));
        }
        return out;
    }

    @Override
    public String toString() {
        return values().toString();
    }
}
