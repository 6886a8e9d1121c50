package io.tessera.tablet.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Diffs and filters on hand-made schemas. */
class SchemaChangeTest {
    private static ColumnSchema column(String name, String type) {
        return new ColumnSchema(name, type, type, true, Optional.empty(), "", Optional.empty(), 63, 11, 0);
    }

    private static TableSchema table(String name, TableKind kind, String... columns) {
        List<ColumnSchema> cols = java.util.Arrays.stream(columns).map(c -> column(c, "int")).toList();
        return new TableSchema(name, kind, cols, List.of(), List.of(), "CREATE " + name + " " + List.of(columns),
                100, 1);
    }

    private static Schema schema(TableSchema... tables) {
        return Schema.of("vt_ks", Optional.of("CREATE DATABASE `vt_ks`"), List.of(tables));
    }

    @Test
    void sizesAndRowCountsAreNotChanges() {
        TableSchema t = table("t", TableKind.TABLE, "a");
        TableSchema grown = new TableSchema("t", TableKind.TABLE, t.columns(), t.primaryKey(), t.indexes(),
                t.createStatement(), 5_000_000, 90_000);
        assertThat(SchemaChange.between(schema(t), schema(grown)).isEmpty()).isTrue();
    }

    @Test
    void classifiesEveryName() {
        Schema before = schema(table("kept", TableKind.TABLE, "a"), table("altered", TableKind.TABLE, "a"),
                table("gone", TableKind.TABLE, "a"), table("oldview", TableKind.VIEW, "a"),
                table("flip", TableKind.TABLE, "a"));
        Schema after = schema(table("kept", TableKind.TABLE, "a"), table("altered", TableKind.TABLE, "a", "b"),
                table("new", TableKind.TABLE, "a"), table("newview", TableKind.VIEW, "a"),
                table("flip", TableKind.VIEW, "a"));
        SchemaChange change = SchemaChange.between(before, after);
        assertThat(change.created()).containsExactly("new", "newview");
        assertThat(change.altered()).containsExactly("altered", "flip");
        assertThat(change.dropped()).containsExactly("gone", "oldview");
        assertThat(change.changedTables()).containsExactly("altered", "flip", "gone", "new");
        assertThat(change.changedViews()).containsExactly("flip", "newview", "oldview");
    }

    @Test
    void theAutoIncrementCounterIsNotPartOfADefinition() {
        assertThat(SchemaReader.normalizeCreateStatement(
                "CREATE TABLE `t` (\n  `id` int(11) NOT NULL AUTO_INCREMENT,\n  PRIMARY KEY (`id`)\n)"
                        + " ENGINE=InnoDB AUTO_INCREMENT=42 DEFAULT CHARSET=utf8mb4"))
                .isEqualTo("CREATE TABLE `t` (\n  `id` int(11) NOT NULL AUTO_INCREMENT,\n  PRIMARY KEY (`id`)\n)"
                        + " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
    }

    @Test
    void filtersByNamePatternExclusionAndKind() {
        TableSchema user = table("user", TableKind.TABLE, "a");
        TableSchema userView = table("user_v", TableKind.VIEW, "a");
        assertThat(TableFilter.all().test(userView)).isTrue();
        assertThat(new TableFilter(List.of(), List.of(), false).test(userView)).isFalse();
        assertThat(new TableFilter(List.of("/ser/"), List.of(), true).test(user)).isTrue();
        assertThat(new TableFilter(List.of("use"), List.of(), true).test(user)).isFalse();
        assertThat(new TableFilter(List.of(), List.of("/^u/"), true).test(user)).isFalse();
        assertThat(new TableFilter(List.of("/"), List.of(), true).test(table("/", TableKind.TABLE))).isTrue();
        assertThatThrownBy(() -> new TableFilter(List.of(), List.of("/[/"), true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a valid regular expression");
        assertThatThrownBy(() -> Schema.of("vt_ks", Optional.empty(), List.of(user, user)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
