package io.tessera.tabletmanager;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.tessera.proto.vtrpc.Code;
import io.tessera.proto.vtrpc.RPCError;

/**
 * Carries a {@link TabletManagerException} across gRPC: as a status with the nearest gRPC code and the message,
 * plus the exact {@link RPCError} (code, errno, SQLSTATE) in the trailers under the key vtrpc.proto names.
 */
final class RpcStatuses {
    /** The trailer holding the exact error; see vtrpc.proto. */
    static final Metadata.Key<RPCError> ERROR_KEY = Metadata.Key.of("tessera-rpc-error-bin",
            ProtoUtils.metadataMarshaller(RPCError.getDefaultInstance()));

    private RpcStatuses() {}

    /** The status a server sends for {@code e}. */
    static StatusRuntimeException toStatus(TabletManagerException e) {
        Metadata trailers = new Metadata();
        trailers.put(ERROR_KEY, e.toRpcError());
        return grpcCode(e.code()).withDescription(e.getMessage()).asRuntimeException(trailers);
    }

    /**
     * The exception a client raises for a failed call to {@code target}. With the trailer, the tablet's own error
     * comes back exactly; without it (the call never reached the tablet, or timed out on the client), the gRPC
     * status is translated and the message says which tablet could not be reached.
     */
    static TabletManagerException fromStatus(StatusRuntimeException e, String target, String method) {
        Metadata trailers = e.getTrailers();
        RPCError error = trailers == null ? null : trailers.get(ERROR_KEY);
        if (error != null) {
            return TabletManagerException.fromRpcError(error, e);
        }
        Status status = e.getStatus();
        String detail = status.getDescription() == null ? status.getCode().name() : status.getDescription();
        String message = switch (status.getCode()) {
            case DEADLINE_EXCEEDED -> method + " on tablet " + target + " did not finish before the deadline: "
                    + detail;
            case UNAVAILABLE -> "cannot reach tablet " + target + " for " + method + ": " + detail;
            case UNIMPLEMENTED -> "tablet " + target + " does not implement " + method + ": " + detail;
            default -> method + " on tablet " + target + " failed: " + detail;
        };
        return new TabletManagerException(vtrpcCode(status.getCode()), message, e);
    }

    /** The gRPC code closest to {@code code}; Tessera's own codes above 16 map to the gRPC code with that effect. */
    static Status grpcCode(Code code) {
        return switch (code) {
            // A reparent in progress: the caller may retry later.
            case CLUSTER_EVENT -> Status.UNAVAILABLE;
            // A write to a server that takes only reads will not succeed by retrying.
            case READ_ONLY -> Status.FAILED_PRECONDITION;
            case OK, UNRECOGNIZED -> Status.UNKNOWN;
            default -> Status.fromCodeValue(code.getNumber());
        };
    }

    /** The vtrpc code with the meaning of a gRPC code (they share numbers 0 to 16). */
    static Code vtrpcCode(Status.Code code) {
        Code c = Code.forNumber(code.value());
        return c == null || c == Code.OK ? Code.UNKNOWN : c;
    }
}
