package io.tessera.tablet.schema;

import java.util.Objects;
import java.util.Optional;

/**
 * One column as {@code information_schema.COLUMNS} describes it.
 *
 * @param name the column name
 * @param dataType the bare type in lower case ({@code int}, {@code varchar}, {@code longtext})
 * @param columnType the full type ({@code int(10) unsigned}, {@code varchar(64)}, {@code enum('a','b')})
 * @param nullable whether the column accepts NULL
 * @param defaultValue the default as the server prints it, if any
 * @param extra {@code auto_increment}, {@code on update current_timestamp()}, ... or empty
 * @param collation the collation of a character column
 * @param collationId the collation's id; 63 (binary) for columns without one
 * @param length the column's length as MySQL's column definition reports it (bytes for strings, display width
 *     for numbers)
 * @param decimals digits after the point (fractional seconds for temporal types)
 */
public record ColumnSchema(
        String name,
        String dataType,
        String columnType,
        boolean nullable,
        Optional<String> defaultValue,
        String extra,
        Optional<String> collation,
        int collationId,
        long length,
        int decimals) {

    public ColumnSchema {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dataType, "dataType");
        Objects.requireNonNull(columnType, "columnType");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(extra, "extra");
        Objects.requireNonNull(collation, "collation");
    }

    /** True for integer and decimal types declared {@code unsigned}. */
    public boolean unsigned() {
        return columnType.contains("unsigned");
    }

    /** True when the column is {@code auto_increment}. */
    public boolean autoIncrement() {
        return extra.toLowerCase(java.util.Locale.ROOT).contains("auto_increment");
    }
}
