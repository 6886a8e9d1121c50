package io.tessera.tablet.queryservice;

import io.tessera.proto.query.ExecuteOptions;
import io.tessera.proto.query.ExecuteOptions.IncludedFields;
import java.time.Duration;
import java.util.Objects;

/**
 * The limits one statement runs under.
 *
 * @param timeout kill the statement on mysqld after this long; zero means never
 * @param maxRows read at most this many rows; zero means no limit
 * @param failOnOverflow when true, {@code maxRows} is the tablet's cap plus one, and reaching it is an error
 *     (RESULT_TOO_LARGE); when false it is the caller's own {@code sql_select_limit}, silently applied
 * @param includedFields how much of each column definition to return
 */
record ExecutionLimits(Duration timeout, long maxRows, boolean failOnOverflow, IncludedFields includedFields) {
    ExecutionLimits {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(includedFields, "includedFields");
    }

    /**
     * The limits for an Execute: the caller's authoritative timeout if it sent one, none for OLAP and DBA
     * workloads, the tablet's query timeout otherwise; at most {@code maxResultSize} rows, or fewer if the caller
     * set {@code sql_select_limit}.
     */
    static ExecutionLimits forExecute(ExecuteOptions options, QueryServiceConfig config) {
        long selectLimit = options.getSqlSelectLimit();
        boolean callerLimit = selectLimit > 0 && selectLimit <= config.maxResultSize();
        return new ExecutionLimits(timeout(options, config.queryTimeout()),
                callerLimit ? selectLimit : config.selectLimit(), !callerLimit, included(options));
    }

    /** The limits for a StreamExecute: no row cap and, unless the caller asks for one, no timeout. */
    static ExecutionLimits forStream(ExecuteOptions options) {
        long selectLimit = Math.max(0, options.getSqlSelectLimit());
        return new ExecutionLimits(timeout(options, Duration.ZERO), selectLimit, false, included(options));
    }

    private static Duration timeout(ExecuteOptions options, Duration tabletDefault) {
        if (options.hasAuthoritativeTimeout()) {
            return Duration.ofMillis(Math.max(0, options.getAuthoritativeTimeout()));
        }
        return switch (options.getWorkload()) {
            case OLAP, DBA -> Duration.ZERO;
            default -> tabletDefault;
        };
    }

    private static IncludedFields included(ExecuteOptions options) {
        IncludedFields f = options.getIncludedFields();
        return f == IncludedFields.UNRECOGNIZED ? IncludedFields.TYPE_AND_NAME : f;
    }
}
