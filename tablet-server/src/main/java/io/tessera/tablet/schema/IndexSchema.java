package io.tessera.tablet.schema;

import java.util.List;
import java.util.Objects;

/**
 * One index.
 *
 * @param name the index name; {@code PRIMARY} for the primary key
 * @param unique whether the index is unique
 * @param columns its columns in key order
 */
public record IndexSchema(String name, boolean unique, List<String> columns) {
    public static final String PRIMARY = "PRIMARY";

    public IndexSchema {
        Objects.requireNonNull(name, "name");
        columns = List.copyOf(columns);
    }

    public boolean isPrimary() {
        return PRIMARY.equals(name);
    }
}
