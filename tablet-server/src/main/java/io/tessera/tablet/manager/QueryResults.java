package io.tessera.tablet.manager;

import com.google.protobuf.ByteString;
import io.tessera.proto.query.Field;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.query.Row;
import io.tessera.proto.query.Type;
import io.tessera.proto.vtrpc.Code;
import io.tessera.tablet.mysqlctl.DbConnector;
import io.tessera.tabletmanager.TabletManagerException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import java.util.Locale;

/**
 * Runs one statement for {@code ExecuteFetchAs*} and returns its result as a {@code query.QueryResult}: fields
 * with their types, and rows in the compact form (value lengths plus one byte string per row).
 */
final class QueryResults {
    private QueryResults() {}

    /**
     * Runs {@code sql} on a new connection.
     *
     * @param connector the user and default database to run it as
     * @param sessionSetup statements run first on the same connection ({@code SET sql_log_bin = 0}...)
     * @param maxRows the most rows the result may have
     * @throws TabletManagerException {@code RESOURCE_EXHAUSTED} if the result has more rows than {@code maxRows};
     *     the MySQL error, with its errno and SQLSTATE, if the statement fails
     */
    static QueryResult run(DbConnector connector, String sql, List<String> sessionSetup, long maxRows) {
        try (Connection c = connector.connect(); Statement s = c.createStatement()) {
            for (String setup : sessionSetup) {
                s.execute(setup);
            }
            if (s.execute(sql, Statement.RETURN_GENERATED_KEYS)) {
                try (ResultSet rs = s.getResultSet()) {
                    return rows(rs, maxRows);
                }
            }
            QueryResult.Builder result = QueryResult.newBuilder().setRowsAffected(Math.max(0, s.getLargeUpdateCount()));
            try (ResultSet keys = s.getGeneratedKeys()) {
                if (keys.next()) {
                    result.setInsertId(keys.getLong(1)).setInsertIdChanged(true);
                }
            }
            return result.build();
        } catch (SQLException e) {
            throw SqlErrors.of("the statement failed as " + connector.describe(), e);
        }
    }

    private static QueryResult rows(ResultSet rs, long maxRows) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        int columns = meta.getColumnCount();
        QueryResult.Builder result = QueryResult.newBuilder();
        boolean[] binary = new boolean[columns];
        for (int i = 1; i <= columns; i++) {
            Type type = type(meta, i);
            binary[i - 1] = isBinary(type);
            result.addFields(Field.newBuilder()
                    .setName(meta.getColumnLabel(i))
                    .setOrgName(nullToEmpty(meta.getColumnName(i)))
                    .setTable(nullToEmpty(meta.getTableName(i)))
                    .setDatabase(nullToEmpty(meta.getCatalogName(i)))
                    .setType(type)
                    .setColumnType(nullToEmpty(meta.getColumnTypeName(i)).toLowerCase(Locale.ROOT))
                    .setDecimals(Math.max(0, meta.getScale(i))));
        }
        long count = 0;
        ByteArrayOutputStream values = new ByteArrayOutputStream();
        while (rs.next()) {
            if (++count > maxRows) {
                throw new TabletManagerException(Code.RESOURCE_EXHAUSTED, "the result has more than " + maxRows
                        + " rows (max_rows); narrow the query or raise max_rows");
            }
            Row.Builder row = Row.newBuilder();
            values.reset();
            for (int i = 1; i <= columns; i++) {
                byte[] value = binary[i - 1] ? rs.getBytes(i) : utf8(rs.getString(i));
                if (value == null) {
                    row.addLengths(-1);
                } else {
                    row.addLengths(value.length);
                    values.writeBytes(value);
                }
            }
            result.addRows(row.setValues(ByteString.copyFrom(values.toByteArray())));
        }
        return result.build();
    }

    /** The query type of a column, from the driver's JDBC type, signedness and MySQL type name. */
    static Type type(ResultSetMetaData meta, int column) throws SQLException {
        String name = nullToEmpty(meta.getColumnTypeName(column)).toUpperCase(Locale.ROOT);
        boolean unsigned = name.contains("UNSIGNED") || !meta.isSigned(column);
        if (name.startsWith("MEDIUMINT")) {
            return unsigned ? Type.UINT24 : Type.INT24;
        }
        if (name.startsWith("YEAR")) {
            return Type.YEAR;
        }
        if (name.startsWith("JSON")) {
            return Type.JSON;
        }
        if (name.startsWith("ENUM")) {
            return Type.ENUM;
        }
        if (name.startsWith("SET")) {
            return Type.SET;
        }
        if (name.startsWith("GEOMETRY")) {
            return Type.GEOMETRY;
        }
        return switch (meta.getColumnType(column)) {
            case Types.TINYINT, Types.BOOLEAN -> unsigned ? Type.UINT8 : Type.INT8;
            case Types.SMALLINT -> unsigned ? Type.UINT16 : Type.INT16;
            case Types.INTEGER -> unsigned ? Type.UINT32 : Type.INT32;
            case Types.BIGINT -> unsigned ? Type.UINT64 : Type.INT64;
            case Types.REAL, Types.FLOAT -> Type.FLOAT32;
            case Types.DOUBLE -> Type.FLOAT64;
            case Types.DECIMAL, Types.NUMERIC -> Type.DECIMAL;
            case Types.DATE -> Type.DATE;
            case Types.TIME -> Type.TIME;
            case Types.TIMESTAMP -> name.startsWith("TIMESTAMP") ? Type.TIMESTAMP : Type.DATETIME;
            // MariaDB's driver reports TINYINT(1) as BIT; a real BIT column's type name says BIT.
            case Types.BIT -> name.startsWith("BIT") ? Type.BIT : Type.INT8;
            case Types.CHAR -> Type.CHAR;
            case Types.BINARY -> Type.BINARY;
            case Types.VARBINARY -> Type.VARBINARY;
            case Types.LONGVARBINARY, Types.BLOB -> Type.BLOB;
            case Types.LONGVARCHAR, Types.CLOB -> Type.TEXT;
            case Types.NULL -> Type.NULL_TYPE;
            default -> Type.VARCHAR;
        };
    }

    private static boolean isBinary(Type type) {
        return type == Type.BINARY || type == Type.VARBINARY || type == Type.BLOB || type == Type.BIT
                || type == Type.GEOMETRY;
    }

    private static byte[] utf8(String value) {
        return value == null ? null : value.getBytes(StandardCharsets.UTF_8);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
