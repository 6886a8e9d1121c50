package io.tessera.tablet.schema;

import java.util.Collection;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The tables and views of the tablet's database at one moment: an immutable snapshot.
 *
 * @param dbName the database
 * @param databaseCreateStatement {@code SHOW CREATE DATABASE} output; empty when the database does not exist
 * @param tables every table and view by name, in name order
 */
public record Schema(String dbName, Optional<String> databaseCreateStatement, NavigableMap<String, TableSchema> tables) {

    public Schema {
        Objects.requireNonNull(dbName, "dbName");
        Objects.requireNonNull(databaseCreateStatement, "databaseCreateStatement");
        tables = Collections.unmodifiableNavigableMap(new TreeMap<>(tables));
    }

    /** A schema of the given tables. */
    public static Schema of(String dbName, Optional<String> databaseCreateStatement, Collection<TableSchema> tables) {
        TreeMap<String, TableSchema> byName = new TreeMap<>();
        for (TableSchema table : tables) {
            if (byName.put(table.name(), table) != null) {
                throw new IllegalArgumentException("table " + table.name() + " appears twice");
            }
        }
        return new Schema(dbName, databaseCreateStatement, byName);
    }

    public Optional<TableSchema> table(String name) {
        return Optional.ofNullable(tables.get(name));
    }

    /** An empty schema of a database that does not exist (yet). */
    public static Schema empty(String dbName) {
        return new Schema(dbName, Optional.empty(), new TreeMap<>());
    }
}
