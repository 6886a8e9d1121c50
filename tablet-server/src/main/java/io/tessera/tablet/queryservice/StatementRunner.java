package io.tessera.tablet.queryservice;

import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.query.QueryWarning;
import io.tessera.proto.query.Row;
import io.tessera.queryservice.QueryResultConsumer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;
import org.mariadb.jdbc.client.Column;
import org.mariadb.jdbc.client.result.Result;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one statement on a connection the caller holds and turns its result into {@link QueryResult}s, either whole
 * ({@link #execute}) or in chunks ({@link #stream}). Statements go to MySQL as plain text (text protocol), so each
 * row arrives as MySQL's text and is passed on without decoding a value. A statement past its timeout is killed on
 * mysqld and reported as {@link ErrorKind#QUERY_TIMEOUT}.
 */
final class StatementRunner {
    private static final Logger log = LoggerFactory.getLogger(StatementRunner.class);
    /**
     * Rows the driver reads from the socket at a time while streaming; with the chunk size this bounds what a
     * stream holds in memory.
     */
    static final int STREAM_FETCH_ROWS = 100;
    /** Per-value overhead counted against the stream buffer besides the bytes themselves (the length varint). */
    private static final int VALUE_OVERHEAD = 2;

    private final QueryDeadlines deadlines;
    private final MysqlKiller killer;
    private final int streamBufferSize;

    StatementRunner(QueryDeadlines deadlines, MysqlKiller killer, int streamBufferSize) {
        this.deadlines = Objects.requireNonNull(deadlines, "deadlines");
        this.killer = Objects.requireNonNull(killer, "killer");
        this.streamBufferSize = streamBufferSize;
    }

    /** Runs {@code sql} and returns its whole result. */
    QueryResult execute(Connection c, long threadId, String sql, StatementInfo info, ExecutionLimits limits)
            throws SQLException {
        QueryDeadlines.Deadline deadline = deadlines.start(threadId, limits.timeout());
        try (Statement st = c.createStatement()) {
            if (info.select() && limits.maxRows() > 0) {
                // The driver turns this into sql_select_limit, so mysqld stops producing rows past the cap
                // instead of the tablet reading (and buffering) them all.
                st.setLargeMaxRows(limits.maxRows());
            }
            boolean write = info.kind() == StatementKind.WRITE;
            boolean hasResult = write ? st.execute(sql, Statement.RETURN_GENERATED_KEYS) : st.execute(sql);
            QueryResult.Builder out = QueryResult.newBuilder();
            if (hasResult) {
                try (ResultSet rs = st.getResultSet()) {
                    readAll(rs, out, limits);
                }
            } else {
                out.setRowsAffected(Math.max(0, st.getLargeUpdateCount()));
                if (write) {
                    readInsertId(st, out);
                }
            }
            readWarnings(st, out);
            return out.build();
        } catch (SQLException e) {
            deadline.finish();
            if (deadline.fired()) {
                throw deadline.killedError(e);
            }
            throw e;
        } finally {
            deadline.finish();
        }
    }

    /**
     * Runs {@code sql} and hands its result to {@code consumer}: fields first, then rows in chunks of about the
     * stream buffer size. Only one chunk is held at a time, and the driver reads a few rows at a time from the
     * socket, so memory stays bounded however large the result; a consumer that blocks holds mysqld back through
     * TCP flow control.
     *
     * <p>If anything fails before the end (the consumer threw, the client went away), the statement is killed on
     * mysqld so it stops sending, and the exception is rethrown. The connection is usable afterwards.
     */
    void stream(Connection c, long threadId, String sql, ExecutionLimits limits, QueryResultConsumer consumer)
            throws SQLException {
        QueryDeadlines.Deadline deadline = deadlines.start(threadId, limits.timeout());
        Statement st = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        ResultSet rs = null;
        boolean complete = false;
        try {
            st.setFetchSize(STREAM_FETCH_ROWS);
            if (limits.maxRows() > 0) {
                st.setLargeMaxRows(limits.maxRows());
            }
            if (!st.execute(sql)) {
                consumer.accept(QueryResult.newBuilder()
                        .setRowsAffected(Math.max(0, st.getLargeUpdateCount())).build());
                complete = true;
                return;
            }
            rs = st.getResultSet();
            Result result = DriverResults.unwrap(rs);
            List<Column> columns = DriverResults.columns(rs);
            QueryResult.Builder fields = QueryResult.newBuilder();
            for (Column column : columns) {
                fields.addFields(Fields.field(column, DriverResults.collationId(column), limits.includedFields()));
            }
            consumer.accept(fields.build());
            int n = columns.size();
            QueryResult.Builder chunk = QueryResult.newBuilder();
            long bytes = 0;
            while (rs.next()) {
                Row row = TextRows.decode(DriverResults.currentRowPacket(result), n);
                chunk.addRows(row);
                bytes += row.getValues().size() + (long) VALUE_OVERHEAD * n;
                if (bytes >= streamBufferSize) {
                    consumer.accept(chunk.build());
                    chunk = QueryResult.newBuilder();
                    bytes = 0;
                }
            }
            if (chunk.getRowsCount() > 0) {
                consumer.accept(chunk.build());
            }
            complete = true;
        } catch (SQLException e) {
            deadline.finish();
            if (deadline.fired()) {
                throw deadline.killedError(e);
            }
            throw e;
        } finally {
            deadline.finish();
            if (!complete) {
                // Stop mysqld from sending the rest first: closing a streaming result reads it to the end.
                killer.killQuery(threadId);
            }
            closeQuietly(rs);
            closeQuietly(st);
        }
    }

    private static void readAll(ResultSet rs, QueryResult.Builder out, ExecutionLimits limits) throws SQLException {
        Result result = DriverResults.unwrap(rs);
        List<Column> columns = DriverResults.columns(rs);
        for (Column column : columns) {
            out.addFields(Fields.field(column, DriverResults.collationId(column), limits.includedFields()));
        }
        int n = columns.size();
        long cap = limits.failOnOverflow() ? limits.maxRows() - 1 : Long.MAX_VALUE;
        long count = 0;
        while (rs.next()) {
            if (++count > cap) {
                throw TesseraException.of(ErrorKind.RESULT_TOO_LARGE, cap);
            }
            out.addRows(TextRows.decode(DriverResults.currentRowPacket(result), n));
        }
    }

    private static void readInsertId(Statement st, QueryResult.Builder out) throws SQLException {
        try (ResultSet keys = st.getGeneratedKeys()) {
            if (keys != null && keys.next()) {
                String id = keys.getString(1);
                if (id != null) {
                    out.setInsertId(Long.parseUnsignedLong(id));
                    out.setInsertIdChanged(true);
                }
            }
        }
    }

    private static void readWarnings(Statement st, QueryResult.Builder out) throws SQLException {
        for (SQLWarning w = st.getWarnings(); w != null; w = w.getNextWarning()) {
            out.addWarnings(QueryWarning.newBuilder().setCode(Math.max(0, w.getErrorCode()))
                    .setMessage(w.getMessage() == null ? "" : w.getMessage()).build());
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            log.debug("closing an interrupted streaming statement: {}", e.getMessage());
        }
    }
}
