package io.tessera.client;

import io.tessera.proto.query.Field;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The columns of one result, shared by its rows, with the look-up of a column by name. */
final class Columns {
    static final Columns NONE = new Columns(List.of());

    private final List<Column> columns;
    private final Map<String, Integer> exact = new HashMap<>();
    private final Map<String, Integer> folded = new HashMap<>();

    private Columns(List<Column> columns) {
        this.columns = List.copyOf(columns);
        // The first column of a name wins, as with JDBC's findColumn.
        for (int i = columns.size() - 1; i >= 0; i--) {
            exact.put(columns.get(i).name(), i);
            folded.put(columns.get(i).name().toLowerCase(Locale.ROOT), i);
        }
    }

    static Columns of(List<Field> fields) {
        List<Column> columns = new ArrayList<>(fields.size());
        for (Field f : fields) {
            columns.add(new Column(f.getName(), f.getType()));
        }
        return new Columns(columns);
    }

    List<Column> list() {
        return columns;
    }

    /**
     * The index of the column called {@code name}; like MySQL's column names, the match ignores case when no
     * column has exactly that name.
     */
    int indexOf(String name) {
        Integer i = exact.get(name);
        if (i == null) {
            i = folded.get(name.toLowerCase(Locale.ROOT));
        }
        if (i == null) {
            throw new IllegalArgumentException("no column '" + name + "' in the result; its columns are "
                    + columns.stream().map(Column::name).toList());
        }
        return i;
    }
}
