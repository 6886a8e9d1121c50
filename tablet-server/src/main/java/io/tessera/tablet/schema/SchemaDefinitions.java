package io.tessera.tablet.schema;

import io.tessera.proto.tabletmanagerdata.SchemaDefinition;
import io.tessera.proto.tabletmanagerdata.TableDefinition;

/**
 * Turns a schema into the {@code tabletmanagerdata.SchemaDefinition} that GetSchema returns.
 *
 * <p>As in Vitess, the database's quoted name (with its backticks) is replaced by the {@code {{.DatabaseName}}}
 * placeholder in the CREATE DATABASE statement and in view definitions (which name their tables with the
 * database), so that definitions from different shards compare equal; whoever applies one substitutes a quoted
 * database name for the placeholder.
 */
public final class SchemaDefinitions {
    /** The placeholder standing for the database name. */
    public static final String DATABASE_NAME_PLACEHOLDER = "{{.DatabaseName}}";

    private SchemaDefinitions() {}

    /**
     * The definition of the objects of {@code schema} that pass {@code filter}, in name order.
     *
     * @param tableSchemaOnly fill in only name, type and CREATE statement, as the request's
     *     {@code table_schema_only} asks
     */
    public static SchemaDefinition of(Schema schema, TableFilter filter, boolean tableSchemaOnly) {
        String quotedDb = SchemaReader.quoteIdentifier(schema.dbName());
        SchemaDefinition.Builder definition = SchemaDefinition.newBuilder()
                .setDatabaseSchema(schema.databaseCreateStatement()
                        .map(s -> s.replace(quotedDb, DATABASE_NAME_PLACEHOLDER))
                        .orElse(""));
        for (TableSchema table : schema.tables().values()) {
            if (filter.test(table)) {
                definition.addTableDefinitions(table(table, quotedDb, tableSchemaOnly));
            }
        }
        return definition.build();
    }

    private static TableDefinition table(TableSchema table, String quotedDb, boolean tableSchemaOnly) {
        String create = table.kind() == TableKind.VIEW
                ? table.createStatement().replace(quotedDb, DATABASE_NAME_PLACEHOLDER)
                : table.createStatement();
        TableDefinition.Builder definition = TableDefinition.newBuilder()
                .setName(table.name())
                .setSchema(create)
                .setType(table.kind().typeName());
        if (tableSchemaOnly) {
            return definition.build();
        }
        definition.addAllColumns(table.columnNames())
                .addAllPrimaryKeyColumns(table.primaryKey())
                .setDataLength(Math.max(0, table.dataLength()))
                .setRowCount(Math.max(0, table.rowCount()));
        for (ColumnSchema column : table.columns()) {
            definition.addFields(ColumnTypes.field(table, column));
        }
        return definition.build();
    }
}
