package io.tessera.gate.sql;

import com.google.protobuf.ByteString;
import io.tessera.proto.query.Type;
import java.util.HexFormat;

/** Writes typed values (MySQL's text form, as results and bind variables carry them) as SQL literals. */
public final class SqlLiterals {
    private static final int ISINTEGRAL = 256;
    private static final int ISFLOAT = 1024;
    private static final int ISBINARY = 8192;

    private SqlLiterals() {}

    /**
     * The literal for {@code value} of type {@code type}: NULL for a null value or NULL_TYPE; numbers as they are;
     * binary values in hexadecimal ({@code X'...'}) so that no byte is reinterpreted by a character set; anything
     * else as a quoted string.
     */
    public static String of(Type type, ByteString value) {
        if (value == null || type == Type.NULL_TYPE) {
            return "NULL";
        }
        int t = type.getNumber();
        if ((t & (ISINTEGRAL | ISFLOAT)) != 0 || type == Type.DECIMAL) {
            String text = value.toStringUtf8();
            if (isNumber(text)) {
                return text;
            }
        }
        if ((t & ISBINARY) != 0 || type == Type.BIT) {
            return value.isEmpty() ? "''" : "X'" + HexFormat.of().formatHex(value.toByteArray()) + "'";
        }
        return SchemaNames.quoteString(value.toStringUtf8());
    }

    private static boolean isNumber(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E')) {
                return false;
            }
        }
        return true;
    }
}
