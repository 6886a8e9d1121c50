package io.tessera.tablet.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads one database's schema: the object list, columns and indexes from {@code information_schema} (three
 * queries for the whole database), then one {@code SHOW CREATE TABLE} per object.
 *
 * <p>DDL may run while this reads. The object list is the reference: columns and indexes of objects not in it are
 * ignored, and an object dropped before its {@code SHOW CREATE TABLE} ran is left out, as if the read had happened
 * a moment later. Either way the next load sees the truth.
 */
final class SchemaReader {
    /** The table option that changes with every insert and is no part of a definition. */
    private static final Pattern AUTO_INCREMENT_OPTION = Pattern.compile(" AUTO_INCREMENT=\\d+");

    private static final int ER_BAD_DB_ERROR = 1049;
    private static final int ER_NO_SUCH_TABLE = 1146;

    private static final String TABLES = "SELECT TABLE_NAME, TABLE_TYPE, DATA_LENGTH, TABLE_ROWS "
            + "FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME";

    private static final String COLUMNS = "SELECT c.TABLE_NAME, c.COLUMN_NAME, c.DATA_TYPE, c.COLUMN_TYPE, "
            + "c.IS_NULLABLE, c.COLUMN_DEFAULT, c.EXTRA, c.COLLATION_NAME, co.ID, c.CHARACTER_OCTET_LENGTH, "
            + "c.NUMERIC_PRECISION, c.NUMERIC_SCALE, c.DATETIME_PRECISION "
            + "FROM information_schema.COLUMNS c "
            + "LEFT JOIN information_schema.COLLATIONS co ON co.COLLATION_NAME = c.COLLATION_NAME "
            + "WHERE c.TABLE_SCHEMA = ? ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION";

    private static final String INDEXES = "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME "
            + "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? "
            + "ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX";

    private SchemaReader() {}

    private record ObjectRow(String name, TableKind kind, long dataLength, long rowCount) {}

    private record IndexKey(String table, String index) {}

    /** Reads the schema of {@code dbName}; a database that does not exist has an empty schema. */
    static Schema read(Connection c, String dbName) throws SQLException {
        Optional<String> createDatabase = showCreateDatabase(c, dbName);
        if (createDatabase.isEmpty()) {
            return Schema.empty(dbName);
        }
        // With the database as the default, SHOW CREATE prints view definitions without it where it can, which
        // makes them portable to another database.
        try (Statement s = c.createStatement()) {
            s.execute("USE " + quoteIdentifier(dbName));
        } catch (SQLException e) {
            if (e.getErrorCode() == ER_BAD_DB_ERROR) {
                return Schema.empty(dbName);
            }
            throw e;
        }
        List<ObjectRow> objects = readObjects(c, dbName);
        Map<String, List<ColumnSchema>> columns = readColumns(c, dbName);
        Map<String, List<IndexSchema>> indexes = readIndexes(c, dbName);
        List<TableSchema> tables = new ArrayList<>();
        for (ObjectRow object : objects) {
            Optional<String> create = showCreate(c, object.name());
            if (create.isEmpty()) {
                continue;
            }
            List<IndexSchema> tableIndexes = indexes.getOrDefault(object.name(), List.of());
            List<String> primaryKey = tableIndexes.stream().filter(IndexSchema::isPrimary).findFirst()
                    .map(IndexSchema::columns).orElse(List.of());
            tables.add(new TableSchema(object.name(), object.kind(), columns.getOrDefault(object.name(), List.of()),
                    primaryKey, tableIndexes, create.get(), object.dataLength(), object.rowCount()));
        }
        return Schema.of(dbName, createDatabase, tables);
    }

    /** {@code SHOW CREATE TABLE} output without the {@code AUTO_INCREMENT=} option. */
    static String normalizeCreateStatement(String create) {
        return AUTO_INCREMENT_OPTION.matcher(create).replaceAll("");
    }

    static String quoteIdentifier(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    private static Optional<String> showCreateDatabase(Connection c, String dbName) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW CREATE DATABASE IF NOT EXISTS " + quoteIdentifier(dbName))) {
            return rs.next() ? Optional.of(rs.getString(2)) : Optional.empty();
        } catch (SQLException e) {
            if (e.getErrorCode() == ER_BAD_DB_ERROR) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static List<ObjectRow> readObjects(Connection c, String dbName) throws SQLException {
        List<ObjectRow> objects = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(TABLES)) {
            s.setString(1, dbName);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    objects.add(new ObjectRow(rs.getString(1), TableKind.fromTableType(rs.getString(2)),
                            rs.getLong(3), rs.getLong(4)));
                }
            }
        }
        return objects;
    }

    private static Map<String, List<ColumnSchema>> readColumns(Connection c, String dbName) throws SQLException {
        Map<String, List<ColumnSchema>> byTable = new TreeMap<>();
        try (PreparedStatement s = c.prepareStatement(COLUMNS)) {
            s.setString(1, dbName);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String dataType = rs.getString(3);
                    String columnType = rs.getString(4);
                    Long octetLength = nullableLong(rs, 10);
                    Long precision = nullableLong(rs, 11);
                    Long scale = nullableLong(rs, 12);
                    Long datetimePrecision = nullableLong(rs, 13);
                    Long collationId = nullableLong(rs, 9);
                    ColumnSchema column = new ColumnSchema(
                            rs.getString(2),
                            dataType,
                            columnType,
                            "YES".equalsIgnoreCase(rs.getString(5)),
                            Optional.ofNullable(rs.getString(6)),
                            Optional.ofNullable(rs.getString(7)).orElse(""),
                            Optional.ofNullable(rs.getString(8)),
                            collationId == null ? ColumnTypes.BINARY_COLLATION : collationId.intValue(),
                            ColumnTypes.length(dataType, columnType, octetLength, precision, scale, datetimePrecision),
                            ColumnTypes.decimals(dataType, scale, datetimePrecision));
                    byTable.computeIfAbsent(rs.getString(1), t -> new ArrayList<>()).add(column);
                }
            }
        }
        return byTable;
    }

    private static Map<String, List<IndexSchema>> readIndexes(Connection c, String dbName) throws SQLException {
        Map<IndexKey, List<String>> columns = new LinkedHashMap<>();
        Map<IndexKey, Boolean> unique = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement(INDEXES)) {
            s.setString(1, dbName);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    IndexKey key = new IndexKey(rs.getString(1), rs.getString(2));
                    unique.put(key, rs.getLong(3) == 0);
                    columns.computeIfAbsent(key, k -> new ArrayList<>()).add(rs.getString(4));
                }
            }
        }
        Map<String, List<IndexSchema>> byTable = new TreeMap<>();
        columns.forEach((key, cols) -> byTable.computeIfAbsent(key.table(), t -> new ArrayList<>())
                .add(new IndexSchema(key.index(), unique.get(key), cols)));
        return byTable;
    }

    /** The object's normalised CREATE statement, or empty if it was dropped since the object list was read. */
    private static Optional<String> showCreate(Connection c, String table) throws SQLException {
        String sql = "SHOW CREATE TABLE " + quoteIdentifier(table);
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? Optional.of(normalizeCreateStatement(rs.getString(2))) : Optional.empty();
        } catch (SQLException e) {
            if (e.getErrorCode() == ER_NO_SUCH_TABLE) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}
