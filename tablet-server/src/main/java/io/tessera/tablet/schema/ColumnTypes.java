package io.tessera.tablet.schema;

import io.tessera.proto.query.Field;
import io.tessera.proto.query.MySqlFlag;
import io.tessera.proto.query.Type;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Column metadata as a query result would report it (type, length, decimals, flags), derived from what
 * {@code information_schema.COLUMNS} says, so that GetSchema can describe fields without querying every table.
 */
final class ColumnTypes {
    /** Collation id of binary strings and of columns that have no character set. */
    static final int BINARY_COLLATION = 63;
    /** What MySQL reports as decimals for FLOAT and DOUBLE declared without a scale. */
    static final int NOT_FIXED_DECIMALS = 31;
    private static final long MAX_LONG_LENGTH = 0xFFFF_FFFFL;

    private static final Pattern PARENS = Pattern.compile("^[a-z]+\\((\\d+)(?:,(\\d+))?\\)");
    private static final Set<String> TEXT_AND_BLOB = Set.of("tinytext", "text", "mediumtext", "longtext", "tinyblob",
            "blob", "mediumblob", "longblob", "json");
    private static final Set<String> GEOMETRY = Set.of("geometry", "point", "linestring", "polygon", "multipoint",
            "multilinestring", "multipolygon", "geometrycollection");
    private static final Set<String> NUMERIC = Set.of("tinyint", "smallint", "mediumint", "int", "integer",
            "bigint", "decimal", "numeric", "float", "double", "real", "year");

    private ColumnTypes() {}

    /** The Vitess value type of a column. */
    static Type type(String dataType, boolean unsigned, int collationId) {
        return switch (dataType.toLowerCase(Locale.ROOT)) {
            case "tinyint", "bool", "boolean" -> unsigned ? Type.UINT8 : Type.INT8;
            case "smallint" -> unsigned ? Type.UINT16 : Type.INT16;
            case "mediumint" -> unsigned ? Type.UINT24 : Type.INT24;
            case "int", "integer" -> unsigned ? Type.UINT32 : Type.INT32;
            case "bigint" -> unsigned ? Type.UINT64 : Type.INT64;
            case "float" -> Type.FLOAT32;
            case "double", "real" -> Type.FLOAT64;
            case "decimal", "numeric" -> Type.DECIMAL;
            case "date" -> Type.DATE;
            case "time" -> Type.TIME;
            case "datetime" -> Type.DATETIME;
            case "timestamp" -> Type.TIMESTAMP;
            case "year" -> Type.YEAR;
            case "bit" -> Type.BIT;
            case "char" -> Type.CHAR;
            case "varchar" -> Type.VARCHAR;
            case "binary" -> Type.BINARY;
            case "varbinary" -> Type.VARBINARY;
            case "tinytext", "text", "mediumtext", "longtext" -> collationId == BINARY_COLLATION ? Type.BLOB : Type.TEXT;
            case "tinyblob", "blob", "mediumblob", "longblob" -> Type.BLOB;
            case "enum" -> Type.ENUM;
            case "set" -> Type.SET;
            case "json" -> Type.JSON;
            case "vector" -> Type.VECTOR;
            // MariaDB's own types (uuid, inet4, inet6) travel as their text form.
            default -> GEOMETRY.contains(dataType) ? Type.GEOMETRY : Type.VARCHAR;
        };
    }

    /**
     * The length MySQL's column definition would carry: bytes for strings, display width for numbers, characters
     * of the text form for temporal types.
     */
    static long length(String dataType, String columnType, Long octetLength, Long numericPrecision,
            Long numericScale, Long datetimePrecision) {
        String type = dataType.toLowerCase(Locale.ROOT);
        Matcher parens = PARENS.matcher(columnType.toLowerCase(Locale.ROOT));
        boolean hasParens = parens.find();
        long fsp = datetimePrecision == null ? 0 : datetimePrecision;
        long fractional = fsp > 0 ? fsp + 1 : 0;
        return switch (type) {
            case "tinyint", "smallint", "mediumint", "int", "integer", "bigint" -> hasParens
                    ? Long.parseLong(parens.group(1))
                    : (numericPrecision == null ? 0 : numericPrecision + (columnType.contains("unsigned") ? 0 : 1));
            case "decimal", "numeric" -> {
                long precision = numericPrecision == null ? 10 : numericPrecision;
                long scale = numericScale == null ? 0 : numericScale;
                yield precision + (scale > 0 ? 1 : 0) + (columnType.contains("unsigned") ? 0 : 1);
            }
            case "float" -> hasParens ? Long.parseLong(parens.group(1)) : 12;
            case "double", "real" -> hasParens ? Long.parseLong(parens.group(1)) : 22;
            case "bit" -> numericPrecision == null ? 1 : numericPrecision;
            case "date" -> 10;
            case "year" -> 4;
            case "time" -> 10 + fractional;
            case "datetime", "timestamp" -> 19 + fractional;
            default -> GEOMETRY.contains(type) ? MAX_LONG_LENGTH : (octetLength == null ? 0 : octetLength);
        };
    }

    /** Digits after the point: the scale of exact numbers, fractional seconds of temporal types. */
    static int decimals(String dataType, Long numericScale, Long datetimePrecision) {
        return switch (dataType.toLowerCase(Locale.ROOT)) {
            case "decimal", "numeric" -> numericScale == null ? 0 : numericScale.intValue();
            case "float", "double", "real" -> numericScale == null ? NOT_FIXED_DECIMALS : numericScale.intValue();
            case "time", "datetime", "timestamp" -> datetimePrecision == null ? 0 : datetimePrecision.intValue();
            default -> 0;
        };
    }

    /** The field a query on {@code table} would return for {@code column}. */
    static Field field(TableSchema table, ColumnSchema column) {
        return Field.newBuilder()
                .setName(column.name())
                .setOrgName(column.name())
                .setTable(table.name())
                .setOrgTable(table.name())
                .setType(type(column.dataType(), column.unsigned(), column.collationId()))
                .setColumnLength((int) Math.min(column.length(), MAX_LONG_LENGTH))
                .setCharset(column.collationId())
                .setDecimals(column.decimals())
                .setFlags(flags(table, column))
                .setColumnType(column.columnType())
                .build();
    }

    /** MySQL's column definition flags, as far as the schema determines them. */
    static int flags(TableSchema table, ColumnSchema column) {
        String type = column.dataType().toLowerCase(Locale.ROOT);
        String extra = column.extra().toLowerCase(Locale.ROOT);
        int flags = 0;
        if (!column.nullable()) {
            flags |= MySqlFlag.NOT_NULL_FLAG_VALUE;
            if (column.defaultValue().isEmpty() && !column.autoIncrement()) {
                flags |= MySqlFlag.NO_DEFAULT_VALUE_FLAG_VALUE;
            }
        }
        if (table.primaryKey().contains(column.name())) {
            flags |= MySqlFlag.PRI_KEY_FLAG_VALUE;
        }
        for (IndexSchema index : table.indexes()) {
            if (index.isPrimary()) {
                continue;
            }
            if (index.unique() && index.columns().contains(column.name())) {
                flags |= MySqlFlag.UNIQUE_KEY_FLAG_VALUE;
            }
            if (!index.unique() && !index.columns().isEmpty() && index.columns().getFirst().equals(column.name())) {
                flags |= MySqlFlag.MULTIPLE_KEY_FLAG_VALUE;
            }
        }
        if (TEXT_AND_BLOB.contains(type) || GEOMETRY.contains(type)) {
            flags |= MySqlFlag.BLOB_FLAG_VALUE;
        }
        if (column.unsigned()) {
            flags |= MySqlFlag.UNSIGNED_FLAG_VALUE;
        }
        if (column.columnType().contains("zerofill")) {
            flags |= MySqlFlag.ZEROFILL_FLAG_VALUE;
        }
        if (column.collationId() == BINARY_COLLATION) {
            flags |= MySqlFlag.BINARY_FLAG_VALUE;
        }
        if (type.equals("enum")) {
            flags |= MySqlFlag.ENUM_FLAG_VALUE;
        }
        if (type.equals("set")) {
            flags |= MySqlFlag.SET_FLAG_VALUE;
        }
        if (column.autoIncrement()) {
            flags |= MySqlFlag.AUTO_INCREMENT_FLAG_VALUE;
        }
        if (type.equals("timestamp")) {
            flags |= MySqlFlag.TIMESTAMP_FLAG_VALUE;
        }
        if (extra.contains("on update")) {
            flags |= MySqlFlag.ON_UPDATE_NOW_FLAG_VALUE;
        }
        if (NUMERIC.contains(type)) {
            flags |= MySqlFlag.NUM_FLAG_VALUE;
        }
        return flags;
    }
}
