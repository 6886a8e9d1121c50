package io.tessera.tablet.schema;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One table or view of the tablet's database.
 *
 * @param name the table name
 * @param kind table or view
 * @param columns the columns in table order
 * @param primaryKey the primary key's columns in key order; empty for views and tables without one
 * @param indexes every index, the primary key included, ordered by name
 * @param createStatement {@code SHOW CREATE TABLE} (or {@code VIEW}) with the {@code AUTO_INCREMENT=} table option
 *     removed, since it changes with every insert
 * @param dataLength the approximate data size in bytes, from {@code information_schema}
 * @param rowCount the approximate row count, from {@code information_schema}
 */
public record TableSchema(
        String name,
        TableKind kind,
        List<ColumnSchema> columns,
        List<String> primaryKey,
        List<IndexSchema> indexes,
        String createStatement,
        long dataLength,
        long rowCount) {

    public TableSchema {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        indexes = List.copyOf(indexes);
        Objects.requireNonNull(createStatement, "createStatement");
    }

    /** The column names in table order. */
    public List<String> columnNames() {
        return columns.stream().map(ColumnSchema::name).toList();
    }

    public Optional<ColumnSchema> column(String columnName) {
        return columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
    }

    /**
     * True when both describe the same definition: everything but the size and row count, which change with the
     * data and say nothing about the schema.
     */
    public boolean sameDefinition(TableSchema other) {
        return name.equals(other.name) && kind == other.kind && columns.equals(other.columns)
                && primaryKey.equals(other.primaryKey) && indexes.equals(other.indexes)
                && createStatement.equals(other.createStatement);
    }
}
