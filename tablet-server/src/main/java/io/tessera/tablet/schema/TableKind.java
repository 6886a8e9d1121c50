package io.tessera.tablet.schema;

/** What kind of object a schema entry is. */
public enum TableKind {
    /** A base table (MariaDB sequences count as tables too). */
    TABLE("BASE TABLE"),
    /** A view. */
    VIEW("VIEW");

    private final String typeName;

    TableKind(String typeName) {
        this.typeName = typeName;
    }

    /** The name {@code information_schema.TABLES.TABLE_TYPE} and {@code TableDefinition.type} use. */
    public String typeName() {
        return typeName;
    }

    /** The kind for an {@code information_schema.TABLES.TABLE_TYPE} value. */
    static TableKind fromTableType(String tableType) {
        return "VIEW".equalsIgnoreCase(tableType) ? VIEW : TABLE;
    }
}
