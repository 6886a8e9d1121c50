package io.tessera.gate.mysql;

import io.tessera.proto.query.MySqlFlag;
import io.tessera.proto.query.Type;

/**
 * The one table from Tessera's value {@link Type}s to MySQL column type codes and the flags a type implies. Column
 * definitions and the binary protocol (which encodes each value by its column's type code) both use it.
 */
final class MysqlTypes {
    private MysqlTypes() {}

    // MySQL column type codes (enum_field_types).
    static final int DECIMAL = 0x00;
    static final int TINY = 0x01;
    static final int SHORT = 0x02;
    static final int LONG = 0x03;
    static final int FLOAT = 0x04;
    static final int DOUBLE = 0x05;
    static final int NULL = 0x06;
    static final int TIMESTAMP = 0x07;
    static final int LONGLONG = 0x08;
    static final int INT24 = 0x09;
    static final int DATE = 0x0a;
    static final int TIME = 0x0b;
    static final int DATETIME = 0x0c;
    static final int YEAR = 0x0d;
    static final int NEWDATE = 0x0e;
    static final int VARCHAR = 0x0f;
    static final int BIT = 0x10;
    static final int JSON = 0xf5;
    static final int NEWDECIMAL = 0xf6;
    static final int ENUM = 0xf7;
    static final int SET = 0xf8;
    static final int TINY_BLOB = 0xf9;
    static final int MEDIUM_BLOB = 0xfa;
    static final int LONG_BLOB = 0xfb;
    static final int BLOB = 0xfc;
    static final int VAR_STRING = 0xfd;
    static final int STRING = 0xfe;
    static final int GEOMETRY = 0xff;

    private static final int UNSIGNED = MySqlFlag.UNSIGNED_FLAG_VALUE;
    private static final int BINARY = MySqlFlag.BINARY_FLAG_VALUE;
    private static final int NUM = MySqlFlag.NUM_FLAG_VALUE;
    private static final int BLOB_FLAG = MySqlFlag.BLOB_FLAG_VALUE;

    /**
     * How a value type appears in a column definition.
     *
     * @param code the MySQL type code
     * @param flags the flags the type implies (added to the field's own)
     * @param binary whether the column's default collation is binary (63) rather than utf8mb4 (45)
     */
    record Column(int code, int flags, boolean binary) {}

    /** The column form of {@code type}; types without a MySQL column of their own travel as VAR_STRING. */
    static Column column(Type type) {
        return switch (type) {
            case INT8 -> new Column(TINY, NUM, true);
            case UINT8 -> new Column(TINY, NUM | UNSIGNED, true);
            case INT16 -> new Column(SHORT, NUM, true);
            case UINT16 -> new Column(SHORT, NUM | UNSIGNED, true);
            case INT24 -> new Column(INT24, NUM, true);
            case UINT24 -> new Column(INT24, NUM | UNSIGNED, true);
            case INT32 -> new Column(LONG, NUM, true);
            case UINT32 -> new Column(LONG, NUM | UNSIGNED, true);
            case INT64 -> new Column(LONGLONG, NUM, true);
            case UINT64 -> new Column(LONGLONG, NUM | UNSIGNED, true);
            case FLOAT32 -> new Column(FLOAT, NUM, true);
            case FLOAT64 -> new Column(DOUBLE, NUM, true);
            case DECIMAL -> new Column(NEWDECIMAL, NUM, true);
            case TIMESTAMP -> new Column(TIMESTAMP, BINARY, true);
            case DATE -> new Column(DATE, BINARY, true);
            case TIME -> new Column(TIME, BINARY, true);
            case DATETIME -> new Column(DATETIME, BINARY, true);
            case YEAR -> new Column(YEAR, NUM | UNSIGNED, true);
            case VARCHAR -> new Column(VAR_STRING, 0, false);
            case VARBINARY -> new Column(VAR_STRING, BINARY, true);
            case CHAR -> new Column(STRING, 0, false);
            case BINARY -> new Column(STRING, BINARY, true);
            case TEXT -> new Column(BLOB, BLOB_FLAG, false);
            case BLOB -> new Column(BLOB, BLOB_FLAG | BINARY, true);
            case BIT -> new Column(BIT, UNSIGNED, true);
            case ENUM -> new Column(STRING, MySqlFlag.ENUM_FLAG_VALUE, false);
            case SET -> new Column(STRING, MySqlFlag.SET_FLAG_VALUE, false);
            case JSON -> new Column(JSON, BLOB_FLAG, false);
            case GEOMETRY -> new Column(GEOMETRY, BLOB_FLAG | BINARY, true);
            case NULL_TYPE -> new Column(NULL, BINARY, true);
            case EXPRESSION -> new Column(VAR_STRING, 0, false);
            default -> new Column(VAR_STRING, BINARY, true);
        };
    }

    /** Whether values of MySQL type {@code code} travel as length-encoded strings in the binary protocol. */
    static boolean isStringEncoded(int code) {
        return switch (code) {
            case TINY, SHORT, YEAR, LONG, INT24, LONGLONG, FLOAT, DOUBLE, DATE, DATETIME, TIMESTAMP, TIME, NULL ->
                    false;
            default -> true;
        };
    }
}
