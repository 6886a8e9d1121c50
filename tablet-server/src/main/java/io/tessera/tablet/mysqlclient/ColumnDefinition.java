package io.tessera.tablet.mysqlclient;

import java.util.Objects;

/**
 * A column definition packet (Protocol::ColumnDefinition41) as MySQL sent it, strings decoded as UTF-8.
 *
 * @param catalog always {@code def}
 * @param schema the database of the column's table, empty for an expression
 * @param table the table's alias in the statement
 * @param orgTable the table's real name
 * @param name the column's alias in the statement
 * @param orgName the column's real name
 * @param collationId the collation of the values (63 = binary, also for numbers and dates)
 * @param columnLength the maximum length of a value, unsigned 32 bits
 * @param type the protocol type ({@code MYSQL_TYPE_*})
 * @param flags the column flags ({@code NOT_NULL_FLAG}, {@code UNSIGNED_FLAG}...), 16 bits
 * @param decimals the number of decimals (0x1f or 0x27 for "not fixed")
 */
public record ColumnDefinition(String catalog, String schema, String table, String orgTable, String name,
        String orgName, int collationId, long columnLength, int type, int flags, int decimals) {
    public ColumnDefinition {
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(orgTable, "orgTable");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(orgName, "orgName");
    }
}
