package io.tessera.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.tessera.proto.query.BindVariable;
import io.tessera.proto.query.Type;
import io.tessera.proto.query.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Every supported Java type becomes the bind variable type and MySQL text the conversion table promises. */
class BindVariablesTest {
    static Stream<Arguments> conversions() {
        return Stream.of(
                Arguments.of(42L, Type.INT64, "42"),
                Arguments.of(Long.MIN_VALUE, Type.INT64, "-9223372036854775808"),
                Arguments.of(-7, Type.INT64, "-7"),
                Arguments.of((short) 300, Type.INT64, "300"),
                Arguments.of((byte) -1, Type.INT64, "-1"),
                Arguments.of(new BigInteger("9223372036854775807"), Type.INT64, "9223372036854775807"),
                Arguments.of(new BigInteger("-9223372036854775808"), Type.INT64, "-9223372036854775808"),
                Arguments.of(new BigInteger("18446744073709551615"), Type.UINT64, "18446744073709551615"),
                Arguments.of(new BigInteger("18446744073709551616"), Type.DECIMAL, "18446744073709551616"),
                Arguments.of(new BigInteger("-9223372036854775809"), Type.DECIMAL, "-9223372036854775809"),
                Arguments.of(new BigDecimal("1234.50"), Type.DECIMAL, "1234.50"),
                Arguments.of(new BigDecimal("1E+3"), Type.DECIMAL, "1000"),
                Arguments.of(0.1d, Type.FLOAT64, "0.1"),
                Arguments.of(1e20d, Type.FLOAT64, "1.0E20"),
                Arguments.of(0.1f, Type.FLOAT64, "0.1"),
                Arguments.of(true, Type.INT64, "1"),
                Arguments.of(false, Type.INT64, "0"),
                Arguments.of("héllo 'quoted'", Type.VARCHAR, "héllo 'quoted'"),
                Arguments.of('x', Type.VARCHAR, "x"),
                Arguments.of(LocalDate.of(2024, 2, 29), Type.DATE, "2024-02-29"),
                Arguments.of(LocalTime.of(7, 5, 3), Type.TIME, "07:05:03"),
                Arguments.of(LocalTime.of(23, 59, 59, 123_456_000), Type.TIME, "23:59:59.123456"),
                Arguments.of(LocalDateTime.of(2024, 2, 29, 13, 45), Type.DATETIME, "2024-02-29 13:45:00"),
                Arguments.of(LocalDateTime.of(2024, 2, 29, 13, 45, 0, 100_000_000), Type.DATETIME,
                        "2024-02-29 13:45:00.100000"),
                Arguments.of(LocalDateTime.of(2024, 2, 29, 13, 45, 0, 1), Type.DATETIME,
                        "2024-02-29 13:45:00.000000001"),
                Arguments.of(Instant.parse("2024-02-29T13:45:00Z"), Type.DATETIME, "2024-02-29 13:45:00"),
                Arguments.of(OffsetDateTime.of(2024, 2, 29, 15, 45, 0, 0, ZoneOffset.ofHours(2)), Type.DATETIME,
                        "2024-02-29 13:45:00"),
                Arguments.of(ZonedDateTime.of(2024, 7, 1, 12, 0, 0, 0, ZoneId.of("Europe/Paris")), Type.DATETIME,
                        "2024-07-01 10:00:00"));
    }

    @ParameterizedTest
    @MethodSource("conversions")
    void convertsEachTypeToItsSqlTypeAndText(Object value, Type type, String text) {
        BindVariable bv = BindVariables.of(value);
        assertThat(bv.getType()).isEqualTo(type);
        assertThat(bv.getValue().toString(StandardCharsets.UTF_8)).isEqualTo(text);
        assertThat(bv.getValuesCount()).isZero();
    }

    @Test
    void nullIsANullTypeWithoutValue() {
        BindVariable bv = BindVariables.of(null);
        assertThat(bv.getType()).isEqualTo(Type.NULL_TYPE);
        assertThat(bv.getValue().isEmpty()).isTrue();
    }

    @Test
    void bytesAreSentAsTheyAre() {
        byte[] bytes = {0, (byte) 0xff, '\'', 'a'};
        BindVariable bv = BindVariables.of(bytes);
        assertThat(bv.getType()).isEqualTo(Type.VARBINARY);
        assertThat(bv.getValue()).isEqualTo(ByteString.copyFrom(bytes));
    }

    @Test
    void collectionsBecomeTuplesOfTypedValues() {
        BindVariable bv = BindVariables.of(List.of(1L, "two", new BigDecimal("3.0")));
        assertThat(bv.getType()).isEqualTo(Type.TUPLE);
        assertThat(bv.getValuesList()).containsExactly(
                Value.newBuilder().setType(Type.INT64).setValue(ByteString.copyFromUtf8("1")).build(),
                Value.newBuilder().setType(Type.VARCHAR).setValue(ByteString.copyFromUtf8("two")).build(),
                Value.newBuilder().setType(Type.DECIMAL).setValue(ByteString.copyFromUtf8("3.0")).build());
        assertThat(BindVariables.of(Set.of()).getValuesCount()).isZero();
        assertThatThrownBy(() -> BindVariables.of(Arrays.asList(1, null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a null");
        assertThatThrownBy(() -> BindVariables.of(List.of(List.of(1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nested collection");
    }

    @Test
    void aBindVariableIsSentUnchanged() {
        BindVariable raw = BindVariable.newBuilder().setType(Type.HEXVAL).setValue(ByteString.copyFromUtf8("x'1F'"))
                .build();
        assertThat(BindVariables.of(raw)).isSameAs(raw);
    }

    @Test
    void refusesValuesWithoutASqlForm() {
        assertThatThrownBy(() -> BindVariables.of(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BindVariables.of(Float.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BindVariables.of(UUID.randomUUID())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.util.UUID");
    }

    @Test
    void namedVariablesKeepTheirNamesAndRefuseColons() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("id", 7);
        values.put("name", null);
        assertThat(BindVariables.named(values)).containsExactly(Map.entry("id", BindVariables.of(7)),
                Map.entry("name", BindVariables.of(null)));
        assertThatThrownBy(() -> BindVariables.named(Map.of(":id", 7))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without the colon");
    }
}
