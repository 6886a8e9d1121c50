package io.tessera.ctld.server;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.tessera.common.errors.GrpcErrors;
import io.tessera.ctld.CtldException;
import io.tessera.proto.vtrpc.Code;
import io.tessera.proto.vtrpc.RPCError;
import io.tessera.tabletmanager.TabletManagerException;
import io.tessera.topo.TopoException;

/**
 * Maps a command's failure to the gRPC status the caller gets: the code says what kind of failure it is, the
 * description says what went wrong. The {@link RPCError} also travels in the {@value GrpcErrors#TRAILER_NAME}
 * trailer, so Tessera clients get the code (and a tablet's MySQL errno) exactly.
 */
public final class CtldErrors {
    private CtldErrors() {}

    /** The Tessera code of a failure. */
    public static Code code(Throwable t) {
        return CtldException.codeOf(t);
    }

    /** The status to fail a call with. */
    public static StatusRuntimeException toStatus(Throwable t) {
        if (t instanceof StatusRuntimeException e) {
            return e;
        }
        Code code = code(t);
        String message = switch (t) {
            case CtldException e -> e.getMessage();
            case TabletManagerException e -> "tablet manager call failed: " + e.getMessage();
            case TopoException e -> topoMessage(e);
            case IllegalArgumentException e -> e.getMessage();
            default -> "internal error: " + t;
        };
        RPCError.Builder error = RPCError.newBuilder().setCode(code).setMessage(String.valueOf(message));
        if (t instanceof TabletManagerException tm) {
            error.setMysqlErrno(tm.mysqlErrno()).setSqlstate(tm.sqlState());
        }
        Metadata trailers = new Metadata();
        trailers.put(GrpcErrors.TRAILER_KEY, error.build());
        return Status.fromCode(GrpcErrors.grpcCode(code)).withDescription(message).withCause(t)
                .asRuntimeException(trailers);
    }

    private static String topoMessage(TopoException e) {
        String what = switch (e.code()) {
            case NO_NODE -> "not found in the topology";
            case NODE_EXISTS -> "already exists in the topology";
            case BAD_VERSION -> "changed concurrently; retry";
            case LOCK_LOST -> "the topology lock was lost; retry";
            case TIMEOUT -> "the topology did not answer in time, or the lock stayed held by someone else";
            case INTERRUPTED -> "interrupted";
            case INVALID_ARGUMENT -> "invalid argument";
            case UNAVAILABLE -> "the topology is unavailable";
        };
        return "topology: " + what + ": " + e.getMessage();
    }
}
