package io.tessera.tablet.queryservice;

import com.google.protobuf.ByteString;
import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.proto.query.Type;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Writes typed values as SQL literals that mean exactly the value whatever the session's {@code sql_mode}:
 * numbers are checked and written as they are; text is quoted with doubled quotes when it holds no backslash or
 * control character, and otherwise written as a hex literal with a {@code _utf8mb4} introducer (backslashes mean
 * different things with and without {@code NO_BACKSLASH_ESCAPES}, hex does not); binary values are always hex.
 * A value that does not fit its type is refused as a bad request rather than passed to MySQL.
 */
final class SqlLiterals {
    private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)");
    private static final Pattern FLOAT = Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");
    private static final Pattern HEXNUM = Pattern.compile("0x[0-9a-fA-F]+");
    private static final Pattern HEXVAL = Pattern.compile("[xX]'([0-9a-fA-F]{2})*'");
    private static final Pattern BITNUM = Pattern.compile("0b[01]+");
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private SqlLiterals() {}

    /**
     * Appends the literal for a value of {@code type}.
     *
     * @param name the bind variable, for error messages
     * @throws TesseraException BAD_REQUEST if the value does not fit the type, or the type cannot be a scalar value
     */
    static void append(StringBuilder sql, String name, Type type, ByteString value) {
        switch (type) {
            case NULL_TYPE -> sql.append("NULL");
            case INT8, INT16, INT24, INT32, INT64 -> appendInteger(sql, name, type, value, false);
            case UINT8, UINT16, UINT24, UINT32, UINT64, YEAR -> appendInteger(sql, name, type, value, true);
            case FLOAT32, FLOAT64 -> appendChecked(sql, name, type, value, FLOAT);
            case DECIMAL -> appendChecked(sql, name, type, value, DECIMAL);
            case HEXNUM -> appendChecked(sql, name, type, value, HEXNUM);
            case HEXVAL -> appendChecked(sql, name, type, value, HEXVAL);
            case BITNUM -> appendChecked(sql, name, type, value, BITNUM);
            case VARCHAR, CHAR, TEXT, JSON, ENUM, SET, DATE, TIME, DATETIME, TIMESTAMP -> appendText(sql, value);
            case VARBINARY, BINARY, BLOB, BIT, GEOMETRY -> appendHex(sql, value);
            default -> throw TesseraException.of(ErrorKind.BAD_REQUEST, "bind variable :" + name + " has type "
                    + type + ", which cannot be used as a value here");
        }
    }

    private static void appendInteger(StringBuilder sql, String name, Type type, ByteString value, boolean unsigned) {
        // Checked by hand rather than with a pattern and BigInteger: every bound integer of every statement (ids of
        // point selects) comes through here.
        String text = value.toStringUtf8();
        if (!isAsciiInteger(text, unsigned)) {
            throw bad(name, type, text);
        }
        try {
            if (unsigned) {
                sql.append(Long.toUnsignedString(Long.parseUnsignedLong(text)));
            } else {
                sql.append(Long.parseLong(text));
            }
        } catch (NumberFormatException e) {
            throw bad(name, type, text); // out of range
        }
    }

    /** {@code [+-]?[0-9]+} ({@code \+?[0-9]+} if unsigned): ASCII digits only, which Long's parsers do not insist on. */
    private static boolean isAsciiInteger(String text, boolean unsigned) {
        int i = 0;
        if (!text.isEmpty() && (text.charAt(0) == '+' || !unsigned && text.charAt(0) == '-')) {
            i = 1;
        }
        if (i == text.length()) {
            return false;
        }
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static void appendChecked(StringBuilder sql, String name, Type type, ByteString value, Pattern pattern) {
        String text = value.toStringUtf8();
        if (!pattern.matcher(text).matches()) {
            throw bad(name, type, text);
        }
        sql.append(text);
    }

    private static void appendText(StringBuilder sql, ByteString value) {
        String text = utf8OrNull(value);
        if (text == null) {
            // Not valid UTF-8: let MySQL see the exact bytes.
            appendHex(sql, value);
            return;
        }
        if (!needsHex(text)) {
            sql.append('\'');
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\'') {
                    sql.append('\'');
                }
                sql.append(c);
            }
            sql.append('\'');
            return;
        }
        sql.append("_utf8mb4 ");
        appendHex(sql, value);
    }

    /** Backslashes depend on NO_BACKSLASH_ESCAPES, and control characters are clearer as bytes. */
    private static boolean needsHex(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' || c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    private static void appendHex(StringBuilder sql, ByteString value) {
        if (value.isEmpty()) {
            // X'' is an empty binary string; fine, but say it plainly.
            sql.append("X''");
            return;
        }
        sql.append("X'");
        for (int i = 0; i < value.size(); i++) {
            int b = value.byteAt(i) & 0xff;
            sql.append(HEX[b >>> 4]).append(HEX[b & 0xf]);
        }
        sql.append('\'');
    }

    private static String utf8OrNull(ByteString value) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static TesseraException bad(String name, Type type, String text) {
        String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        return TesseraException.of(ErrorKind.BAD_REQUEST, "bind variable :" + name + " of type " + type
                + " has the value '" + shown + "', which is not a valid " + type);
    }
}
