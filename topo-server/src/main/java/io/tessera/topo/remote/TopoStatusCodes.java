package io.tessera.topo.remote;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoException.Code;

/**
 * The one mapping between {@link TopoException} codes and gRPC statuses that both ends of the {@code topo.Topo}
 * service use, as the header of {@code topo.proto} states it. Keeping both directions here means a code always
 * survives the round trip server → wire → client.
 */
public final class TopoStatusCodes {
    private TopoStatusCodes() {}

    /** The gRPC status a server answers with for a topology error, carrying its message. */
    public static Status toStatus(TopoException e) {
        Status status = switch (e.code()) {
            case NO_NODE -> Status.NOT_FOUND;
            case NODE_EXISTS -> Status.ALREADY_EXISTS;
            case BAD_VERSION -> Status.ABORTED;
            case TIMEOUT -> Status.DEADLINE_EXCEEDED;
            case INTERRUPTED -> Status.CANCELLED;
            // A lost lock no longer exists; KeepAliveLock documents NOT_FOUND for exactly this case.
            case LOCK_LOST -> Status.NOT_FOUND;
            case INVALID_ARGUMENT -> Status.INVALID_ARGUMENT;
            case UNAVAILABLE -> Status.UNAVAILABLE;
        };
        return status.withDescription(e.getMessage());
    }

    /** The topology code a client reports for a gRPC status. */
    public static Code toCode(Status.Code code) {
        return switch (code) {
            case NOT_FOUND -> Code.NO_NODE;
            case ALREADY_EXISTS -> Code.NODE_EXISTS;
            case ABORTED -> Code.BAD_VERSION;
            case DEADLINE_EXCEEDED -> Code.TIMEOUT;
            case CANCELLED -> Code.INTERRUPTED;
            // FAILED_PRECONDITION (a directory that is not empty) is a request the current state does not
            // allow, which TopoException has no closer code for.
            case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> Code.INVALID_ARGUMENT;
            // Connection failures, a server going away and anything unexpected on the server side.
            default -> Code.UNAVAILABLE;
        };
    }

    /**
     * The topology error a client raises for a failed call.
     *
     * @param path the path the call was about, for {@link TopoException#path()}
     * @param target the server, named in messages about connection failures
     */
    public static TopoException toTopoException(StatusRuntimeException e, String path, String target) {
        Status status = e.getStatus();
        Code code = toCode(status.getCode());
        String description = status.getDescription() == null ? status.getCode().toString() : status.getDescription();
        String message = code == Code.UNAVAILABLE
                ? "topo server " + target + " unavailable: " + description
                : description;
        return new TopoException(code, path == null ? "" : path, message, e);
    }
}
