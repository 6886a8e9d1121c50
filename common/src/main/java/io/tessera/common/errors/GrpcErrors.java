package io.tessera.common.errors;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.tessera.proto.vtrpc.Code;
import io.tessera.proto.vtrpc.RPCError;

/**
 * Carries {@link TesseraException}s across gRPC. A server answers a failed call with a status whose code is the
 * error's gRPC code and whose description is its message, plus the full {@link RPCError} in the binary trailer
 * {@value #TRAILER_NAME}; a client reads the trailer back, so the code, the catalogue id and the MySQL errno and
 * SQLSTATE arrive exactly as sent. Nothing here ever looks at message text.
 */
public final class GrpcErrors {
    /** The trailer that carries the {@link RPCError} of a failed call. */
    public static final String TRAILER_NAME = "tessera-rpc-error-bin";

    /** The trailer key, with its protobuf marshaller. */
    public static final Metadata.Key<RPCError> TRAILER_KEY =
            Metadata.Key.of(TRAILER_NAME, ProtoUtils.metadataMarshaller(RPCError.getDefaultInstance()));

    private GrpcErrors() {}

    /**
     * The status to fail a call with for {@code error}. Any throwable is accepted so a server never crashes on an
     * unexpected exception: one that is not a {@link TesseraException} becomes {@link ErrorKind#INTERNAL}.
     */
    public static StatusRuntimeException toStatus(Throwable error) {
        TesseraException e = asTesseraException(error);
        Metadata trailers = new Metadata();
        trailers.put(TRAILER_KEY, e.toRpcError());
        Status status = Status.fromCode(grpcCode(e.code())).withDescription(e.getMessage());
        return status.asRuntimeException(trailers);
    }

    /**
     * The error a failed call ended with: the one in the trailer if the server sent one, otherwise (the peer is
     * unreachable, the call was cancelled or timed out locally, or the server is not Tessera) an
     * {@link ErrorKind#UNCATALOGUED} error with the code matching the gRPC status.
     */
    public static TesseraException fromStatus(Throwable failure) {
        if (failure instanceof TesseraException e) {
            return e;
        }
        Status status = Status.fromThrowable(failure);
        Metadata trailers = Status.trailersFromThrowable(failure);
        if (trailers != null) {
            RPCError error = trailers.get(TRAILER_KEY);
            if (error != null) {
                return TesseraException.fromRpcError(error, failure);
            }
        }
        Code code = fromGrpcCode(status.getCode());
        String message = status.getDescription() != null ? status.getDescription()
                : status.getCause() != null ? String.valueOf(status.getCause()) : status.getCode().toString();
        return TesseraException.uncatalogued(code == Code.OK ? Code.UNKNOWN : code, ErrorKind.UNCATALOGUED.mysqlErrno(),
                ErrorKind.UNCATALOGUED.sqlState(), "", "rpc error: " + status.getCode() + ": " + message, failure);
    }

    /** {@code error} itself, or an {@link ErrorKind#INTERNAL} error wrapping it. */
    public static TesseraException asTesseraException(Throwable error) {
        if (error instanceof TesseraException e) {
            return e;
        }
        if (error instanceof StatusRuntimeException || error instanceof StatusException) {
            return fromStatus(error);
        }
        return TesseraException.withCause(ErrorKind.INTERNAL, error, String.valueOf(error));
    }

    /** The gRPC status code for a Tessera code. Codes 0-16 are gRPC's own; the Tessera additions fold into them. */
    public static Status.Code grpcCode(Code code) {
        return switch (code) {
            case CLUSTER_EVENT -> Status.Code.UNAVAILABLE;
            case READ_ONLY -> Status.Code.FAILED_PRECONDITION;
            case UNRECOGNIZED -> Status.Code.UNKNOWN;
            default -> Status.fromCodeValue(code.getNumber()).getCode();
        };
    }

    /** The Tessera code for a gRPC status code (the inverse of {@link #grpcCode} on codes 0-16). */
    public static Code fromGrpcCode(Status.Code code) {
        Code c = Code.forNumber(code.value());
        return c == null ? Code.UNKNOWN : c;
    }
}
