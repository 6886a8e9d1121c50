package io.tessera.tablet.queryservice;

import io.tessera.proto.query.ExecuteOptions.IncludedFields;
import io.tessera.proto.query.Field;
import io.tessera.proto.query.MySqlFlag;
import io.tessera.proto.query.Type;
import io.tessera.tablet.mysqlclient.ColumnDefinition;
import org.mariadb.jdbc.client.Column;

/**
 * Turns MySQL column definitions into {@link Field}s: the {@link Type} from the protocol type, the unsigned flag
 * and the collation (63 = binary tells VARBINARY from VARCHAR and BLOB from TEXT), and the rest copied as MySQL
 * sent it.
 */
final class Fields {
    /** The collation id of binary strings (and of numbers and dates). */
    static final int BINARY_COLLATION = 63;

    private Fields() {}

    /** The field for {@code column}, with as much detail as {@code included} asks for. */
    static Field field(Column column, int collationId, IncludedFields included) {
        int flags = column.getFlags();
        Type type = type(column.getType().get(), flags, collationId);
        Field.Builder f = Field.newBuilder().setType(type);
        if (included == IncludedFields.TYPE_ONLY) {
            return f.build();
        }
        f.setName(nullToEmpty(column.getColumnAlias()));
        if (included != IncludedFields.ALL) {
            return f.build();
        }
        return f.setTable(nullToEmpty(column.getTableAlias()))
                .setOrgTable(nullToEmpty(column.getTable()))
                .setDatabase(nullToEmpty(column.getSchema()))
                .setOrgName(nullToEmpty(column.getColumnName()))
                .setColumnLength((int) column.getColumnLength())
                .setCharset(collationId)
                .setDecimals(column.getDecimals() & 0xff)
                .setFlags(flags & 0xffff)
                .build();
    }

    /** The field for a column definition read by the native client, exactly as {@link #field(Column, int,
     * IncludedFields)} makes it from the driver's copy of the same definition. */
    static Field field(ColumnDefinition column, IncludedFields included) {
        int flags = column.flags();
        Type type = type(column.type(), flags, column.collationId());
        Field.Builder f = Field.newBuilder().setType(type);
        if (included == IncludedFields.TYPE_ONLY) {
            return f.build();
        }
        f.setName(column.name());
        if (included != IncludedFields.ALL) {
            return f.build();
        }
        return f.setTable(column.table())
                .setOrgTable(column.orgTable())
                .setDatabase(column.schema())
                .setOrgName(column.orgName())
                .setColumnLength((int) column.columnLength())
                .setCharset(column.collationId())
                .setDecimals(column.decimals() & 0xff)
                .setFlags(flags & 0xffff)
                .build();
    }

    /**
     * The Tessera type of a MySQL protocol type ({@code MYSQL_TYPE_*}) with these column flags and collation.
     */
    static Type type(int protocolType, int flags, int collationId) {
        boolean unsigned = (flags & MySqlFlag.UNSIGNED_FLAG_VALUE) != 0;
        boolean binary = collationId == BINARY_COLLATION;
        return switch (protocolType) {
            case 1 -> unsigned ? Type.UINT8 : Type.INT8;
            case 2 -> unsigned ? Type.UINT16 : Type.INT16;
            case 9 -> unsigned ? Type.UINT24 : Type.INT24;
            case 3 -> unsigned ? Type.UINT32 : Type.INT32;
            case 8 -> unsigned ? Type.UINT64 : Type.INT64;
            case 4 -> Type.FLOAT32;
            case 5 -> Type.FLOAT64;
            case 0, 246 -> Type.DECIMAL;
            case 6 -> Type.NULL_TYPE;
            case 7 -> Type.TIMESTAMP;
            case 10, 14 -> Type.DATE;
            case 11 -> Type.TIME;
            case 12 -> Type.DATETIME;
            case 13 -> Type.YEAR;
            case 16 -> Type.BIT;
            case 245 -> Type.JSON;
            case 247 -> Type.ENUM;
            case 248 -> Type.SET;
            case 249, 250, 251, 252 -> binary ? Type.BLOB : Type.TEXT;
            case 15, 253 -> stringType(flags, binary ? Type.VARBINARY : Type.VARCHAR);
            case 254 -> stringType(flags, binary ? Type.BINARY : Type.CHAR);
            case 255 -> Type.GEOMETRY;
            default -> binary ? Type.VARBINARY : Type.VARCHAR;
        };
    }

    /** MySQL sends ENUM and SET columns as strings marked by a flag. */
    private static Type stringType(int flags, Type plain) {
        if ((flags & MySqlFlag.ENUM_FLAG_VALUE) != 0) {
            return Type.ENUM;
        }
        if ((flags & MySqlFlag.SET_FLAG_VALUE) != 0) {
            return Type.SET;
        }
        return plain;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
