package io.tessera.gate.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.proto.query.Field;
import io.tessera.proto.query.Type;
import java.util.List;
import org.junit.jupiter.api.Test;

class EncodedColumnsTest {
    private static List<Field> fields(String... names) {
        return java.util.Arrays.stream(names).map(n -> Field.newBuilder().setName(n).setType(Type.INT32).build())
                .toList();
    }

    @Test
    void aSetIsKeptTheSecondTimeItsVeryObjectsAreSeen() {
        EncodedColumns cache = new EncodedColumns();
        List<Field> fields = fields("id", "c");
        byte[][] payloads = {{1}, {2}};

        assertThat(cache.get(fields)).isNull();
        assertThat(cache.seenBefore(fields)).isFalse();
        assertThat(cache.get(fields)).isNull();
        assertThat(cache.seenBefore(List.copyOf(fields))).as("the same objects in another list").isTrue();
        cache.keep(fields, payloads);

        assertThat(cache.get(List.copyOf(fields))).isSameAs(payloads);
        assertThat(cache.get(fields("id", "c"))).as("equal definitions, other objects").isNull();
        assertThat(cache.get(List.of(fields.get(0)))).as("a prefix of the set").isNull();
        assertThat(cache.get(List.of())).isNull();
    }

    @Test
    void equalButDistinctDefinitionsAreNeverKept() {
        EncodedColumns cache = new EncodedColumns();
        for (int i = 0; i < 3; i++) {
            List<Field> fresh = fields("id");
            assertThat(cache.seenBefore(fresh)).isFalse();
            assertThat(cache.get(fresh)).isNull();
        }
    }

    @Test
    void boundedPerConnection() {
        EncodedColumns cache = new EncodedColumns();
        List<Field> first = fields("a");
        cache.seenBefore(first);
        cache.seenBefore(first);
        cache.keep(first, new byte[][] {{1}});
        for (int i = 0; i < EncodedColumns.MAX_SETS; i++) {
            cache.seenBefore(fields("x" + i));
        }
        assertThat(cache.get(first)).as("forgotten when the cache started over").isNull();
    }
}
