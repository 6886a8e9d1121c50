package io.tessera.client;

import com.google.protobuf.ByteString;
import io.tessera.proto.query.BindVariable;
import io.tessera.proto.query.Type;
import io.tessera.proto.query.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Turns Java values into bind variables: a SQL type and the value in MySQL's text form, which is how the gate and
 * the tablets carry values.
 *
 * <table>
 *   <caption>Java values and the bind variables they become</caption>
 *   <tr><th>Java</th><th>type</th><th>text</th></tr>
 *   <tr><td>{@code null}</td><td>NULL_TYPE</td><td>(none)</td></tr>
 *   <tr><td>Long, Integer, Short, Byte</td><td>INT64</td><td>decimal, e.g. {@code -42}</td></tr>
 *   <tr><td>BigInteger</td><td>INT64 within the signed 64-bit range, UINT64 within the unsigned one, else
 *       DECIMAL</td><td>decimal</td></tr>
 *   <tr><td>BigDecimal</td><td>DECIMAL</td><td>plain, never exponent notation, e.g. {@code 1234.50}</td></tr>
 *   <tr><td>Double, Float</td><td>FLOAT64</td><td>shortest exact form, e.g. {@code 0.1} or {@code 1.0E20};
 *       NaN and infinities have no SQL form and are refused</td></tr>
 *   <tr><td>Boolean</td><td>INT64</td><td>{@code 1} or {@code 0} (MySQL's BOOLEAN is TINYINT(1))</td></tr>
 *   <tr><td>String, Character</td><td>VARCHAR</td><td>UTF-8</td></tr>
 *   <tr><td>byte[]</td><td>VARBINARY</td><td>the bytes as they are</td></tr>
 *   <tr><td>LocalDate</td><td>DATE</td><td>{@code 2024-02-29}</td></tr>
 *   <tr><td>LocalTime</td><td>TIME</td><td>{@code 13:45:00}, fraction as below</td></tr>
 *   <tr><td>LocalDateTime</td><td>DATETIME</td><td>{@code 2024-02-29 13:45:00.123456}</td></tr>
 *   <tr><td>Instant, OffsetDateTime, ZonedDateTime</td><td>DATETIME</td><td>the same instant in UTC</td></tr>
 *   <tr><td>Collection (for {@code IN ::list})</td><td>TUPLE</td><td>one value per element, converted as above
 *       (elements may be neither null nor collections)</td></tr>
 *   <tr><td>BindVariable</td><td colspan="2">sent as it is</td></tr>
 * </table>
 *
 * <p>Time fractions are written with 6 digits when the value has whole microseconds (MySQL's finest precision),
 * with 9 when it has nanoseconds (MySQL then rounds or truncates them as its {@code TIME_TRUNCATE_FRACTIONAL} mode
 * says), and not at all when there is none. Any other Java type is refused with an
 * {@link IllegalArgumentException} rather than guessed at.
 */
public final class BindVariables {
    private BindVariables() {}

    /** The bind variable for {@code value} (see the table above). */
    public static BindVariable of(Object value) {
        if (value instanceof BindVariable bound) {
            return bound;
        }
        if (value instanceof Collection<?> elements) {
            BindVariable.Builder tuple = BindVariable.newBuilder().setType(Type.TUPLE);
            for (Object element : elements) {
                if (element == null || element instanceof Collection<?>) {
                    throw new IllegalArgumentException("a collection bind variable takes values only, got "
                            + (element == null ? "a null" : "a nested collection") + " in " + elements);
                }
                BindVariable v = of(element);
                tuple.addValues(Value.newBuilder().setType(v.getType()).setValue(v.getValue()));
            }
            return tuple.build();
        }
        return scalar(value);
    }

    /**
     * Bind variables for named {@code :name} placeholders: each value converted with {@link #of}. Names are given
     * without the colon.
     */
    public static Map<String, BindVariable> named(Map<String, ?> values) {
        Objects.requireNonNull(values, "values");
        Map<String, BindVariable> out = new LinkedHashMap<>();
        values.forEach((name, value) -> {
            if (name == null || name.isEmpty() || name.startsWith(":")) {
                throw new IllegalArgumentException("bind variable names are given without the colon and may not be "
                        + "empty, got '" + name + "'");
            }
            out.put(name, of(value));
        });
        return out;
    }

    private static BindVariable scalar(Object value) {
        return switch (value) {
            case null -> BindVariable.newBuilder().setType(Type.NULL_TYPE).build();
            case Long l -> text(Type.INT64, Long.toString(l));
            case Integer i -> text(Type.INT64, Integer.toString(i));
            case Short s -> text(Type.INT64, Short.toString(s));
            case Byte b -> text(Type.INT64, Byte.toString(b));
            case BigInteger i -> text(integerType(i), i.toString());
            case BigDecimal d -> text(Type.DECIMAL, d.toPlainString());
            case Double d -> text(Type.FLOAT64, finite(d, Double.toString(d)));
            case Float f -> text(Type.FLOAT64, finite(f, Float.toString(f)));
            case Boolean b -> text(Type.INT64, b ? "1" : "0");
            case String s -> text(Type.VARCHAR, s);
            case Character c -> text(Type.VARCHAR, c.toString());
            case byte[] bytes -> BindVariable.newBuilder().setType(Type.VARBINARY).setValue(ByteString.copyFrom(bytes))
                    .build();
            case LocalDate d -> text(Type.DATE, d.toString());
            case LocalTime t -> text(Type.TIME, time(t));
            case LocalDateTime t -> text(Type.DATETIME, t.toLocalDate() + " " + time(t.toLocalTime()));
            case Instant i -> scalar(LocalDateTime.ofInstant(i, ZoneOffset.UTC));
            case OffsetDateTime t -> scalar(t.toInstant());
            case ZonedDateTime t -> scalar(t.toInstant());
            default -> throw new IllegalArgumentException("no bind variable type for " + value.getClass().getName()
                    + "; pass one of the types listed in BindVariables, or a BindVariable");
        };
    }

    private static final BigInteger MAX_UINT64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private static Type integerType(BigInteger i) {
        if (i.bitLength() < 64) {
            return Type.INT64;
        }
        return i.signum() > 0 && i.compareTo(MAX_UINT64) <= 0 ? Type.UINT64 : Type.DECIMAL;
    }

    private static String finite(double d, String text) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("MySQL has no value for " + d);
        }
        return text;
    }

    /** HH:MM:SS with the fraction MySQL can keep (see the class comment). */
    private static String time(LocalTime t) {
        String hms = String.format(Locale.ROOT, "%02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond());
        int nanos = t.getNano();
        if (nanos == 0) {
            return hms;
        }
        return nanos % 1000 == 0
                ? hms + String.format(Locale.ROOT, ".%06d", nanos / 1000)
                : hms + String.format(Locale.ROOT, ".%09d", nanos);
    }

    private static BindVariable text(Type type, String value) {
        return BindVariable.newBuilder().setType(type).setValue(ByteString.copyFromUtf8(value)).build();
    }
}
