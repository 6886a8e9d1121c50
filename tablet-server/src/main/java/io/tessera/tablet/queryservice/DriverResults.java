package io.tessera.tablet.queryservice;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.mariadb.jdbc.client.Column;
import org.mariadb.jdbc.client.ColumnDecoder;
import org.mariadb.jdbc.client.result.Result;
import org.mariadb.jdbc.message.server.ColumnDefinitionPacket;

/**
 * The parts of a MariaDB Connector/J result that JDBC does not expose but a tablet needs: the column definitions
 * as MySQL sent them (flags, collation id, table and column names before aliasing) and each row's text-protocol
 * packet, which already holds every value as MySQL's own text, so a row is passed on without decoding a value.
 *
 * <p>They are reached through method and var handles made once, when this class loads. They rely on the driver
 * version the build pins; {@link #check()} fails at tablet start, naming the driver version, if it changed shape.
 */
final class DriverResults {
    private static final Handles HANDLES = Handles.make();

    private DriverResults() {}

    /**
     * Fails if the driver does not have the expected internals, so a driver upgrade shows up at start, not at the
     * first query.
     */
    static void check() {
        if (HANDLES.failure != null) {
            throw new IllegalStateException("MariaDB Connector/J " + driverVersion()
                    + " does not expose the result internals the tablet reads (built against 3.5): "
                    + HANDLES.failure, HANDLES.failure);
        }
    }

    /** The column definitions of {@code rs}, in order. */
    static List<Column> columns(ResultSet rs) throws SQLException {
        check();
        Result result = rs.unwrap(Result.class);
        ColumnDecoder[] columns = (ColumnDecoder[]) HANDLES.metadataList.get(result);
        return List.of(columns);
    }

    /** The collation id MySQL sent for {@code column} (63 = binary). */
    static int collationId(Column column) {
        check();
        if (column instanceof ColumnDefinitionPacket packet) {
            return (int) HANDLES.charset.get(packet);
        }
        throw new IllegalStateException("unexpected column class " + column.getClass().getName());
    }

    /**
     * The current row of {@code result} as the text-protocol packet MySQL sent: one length-encoded string per
     * column, 0xFB for NULL. Only valid for results of plain (not prepared) statements.
     */
    static byte[] currentRowPacket(Result result) {
        byte[][] rows = (byte[][]) HANDLES.data.get(result);
        return rows[(int) HANDLES.rowPointer.get(result)];
    }

    /** The driver's own result type behind {@code rs}. */
    static Result unwrap(ResultSet rs) throws SQLException {
        check();
        return rs.unwrap(Result.class);
    }

    private static String driverVersion() {
        Package p = org.mariadb.jdbc.Driver.class.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return v == null ? "(unknown version)" : v;
    }

    private record Handles(VarHandle metadataList, VarHandle charset, VarHandle data, VarHandle rowPointer,
            Exception failure) {
        static Handles make() {
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                MethodHandles.Lookup inResult = MethodHandles.privateLookupIn(Result.class, lookup);
                MethodHandles.Lookup inColumn = MethodHandles.privateLookupIn(ColumnDefinitionPacket.class, lookup);
                VarHandle metadata = inResult.findVarHandle(Result.class, "metadataList", ColumnDecoder[].class);
                VarHandle charset = inColumn.findVarHandle(ColumnDefinitionPacket.class, "charset", int.class);
                // The rows the driver has read (all of them, or the current fetch when streaming) and the index
                // of the current one; next() moves the index.
                VarHandle data = inResult.findVarHandle(Result.class, "data", byte[][].class);
                VarHandle rowPointer = inResult.findVarHandle(Result.class, "rowPointer", int.class);
                return new Handles(metadata, charset, data, rowPointer, null);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return new Handles(null, null, null, null, e);
            }
        }
    }
}
