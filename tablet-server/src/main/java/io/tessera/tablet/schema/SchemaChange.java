package io.tessera.tablet.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What changed between two loads of the schema.
 *
 * @param created names present only in the newer load
 * @param altered names present in both whose definitions differ (see {@link TableSchema#sameDefinition})
 * @param dropped names present only in the older load
 * @param before the older load
 * @param after the newer load
 */
public record SchemaChange(List<String> created, List<String> altered, List<String> dropped, Schema before,
        Schema after) {

    public SchemaChange {
        created = List.copyOf(created);
        altered = List.copyOf(altered);
        dropped = List.copyOf(dropped);
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
    }

    /** The difference from {@code before} to {@code after}; every list is in name order. */
    public static SchemaChange between(Schema before, Schema after) {
        List<String> created = new ArrayList<>();
        List<String> altered = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (TableSchema table : after.tables().values()) {
            TableSchema old = before.tables().get(table.name());
            if (old == null) {
                created.add(table.name());
            } else if (!old.sameDefinition(table)) {
                altered.add(table.name());
            }
        }
        for (String name : before.tables().keySet()) {
            if (!after.tables().containsKey(name)) {
                dropped.add(name);
            }
        }
        return new SchemaChange(created, altered, dropped, before, after);
    }

    public boolean isEmpty() {
        return created.isEmpty() && altered.isEmpty() && dropped.isEmpty();
    }

    /**
     * Every changed name that is or was a table, in name order: what {@code table_schema_changed} announces. A
     * table replaced by a view of the same name is in both this list and {@link #changedViews()}.
     */
    public List<String> changedTables() {
        return changedOfKind(TableKind.TABLE);
    }

    /** Every changed name that is or was a view, in name order: what {@code view_schema_changed} announces. */
    public List<String> changedViews() {
        return changedOfKind(TableKind.VIEW);
    }

    private List<String> changedOfKind(TableKind kind) {
        TreeSet<String> names = new TreeSet<>();
        for (List<String> list : List.of(created, altered, dropped)) {
            for (String name : list) {
                boolean was = before.table(name).map(t -> t.kind() == kind).orElse(false);
                boolean is = after.table(name).map(t -> t.kind() == kind).orElse(false);
                if (was || is) {
                    names.add(name);
                }
            }
        }
        return List.copyOf(names);
    }
}
