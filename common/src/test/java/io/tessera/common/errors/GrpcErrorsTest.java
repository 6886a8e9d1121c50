package io.tessera.common.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.tessera.proto.vtrpc.Code;
import org.junit.jupiter.api.Test;

class GrpcErrorsTest {
    @Test
    void statusCarriesTheErrorInTheTrailer() {
        TesseraException e = TesseraException.mysql(1062, "23000", "Duplicate entry '1'", null);
        StatusRuntimeException status = GrpcErrors.toStatus(e);
        assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
        assertThat(status.getStatus().getDescription()).isEqualTo("Duplicate entry '1'");
        assertThat(status.getTrailers().get(GrpcErrors.TRAILER_KEY)).isEqualTo(e.toRpcError());
        assertThat(status.getTrailers().keys()).contains("tessera-rpc-error-bin");

        TesseraException back = GrpcErrors.fromStatus(status);
        assertThat(back.mysqlErrno()).isEqualTo(1062);
        assertThat(back.sqlState()).isEqualTo("23000");
        assertThat(back.code()).isEqualTo(Code.ALREADY_EXISTS);
    }

    @Test
    void tesseraCodesFoldIntoGrpcCodes() {
        assertThat(GrpcErrors.toStatus(TesseraException.of(ErrorKind.WRITE_ON_NON_PRIMARY, "t", "REPLICA"))
                .getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(GrpcErrors.toStatus(TesseraException.of(ErrorKind.NOT_SERVING, "t", "x"))
                .getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        // Decided by the trailer's code, not the folded gRPC code.
        assertThat(GrpcErrors.fromStatus(GrpcErrors.toStatus(TesseraException.of(ErrorKind.WRITE_ON_NON_PRIMARY,
                "t", "REPLICA"))).code()).isEqualTo(Code.READ_ONLY);
        for (Status.Code c : Status.Code.values()) {
            assertThat(GrpcErrors.grpcCode(GrpcErrors.fromGrpcCode(c))).isEqualTo(c);
        }
    }

    @Test
    void aFailureWithoutTrailerKeepsTheGrpcCode() {
        TesseraException e = GrpcErrors.fromStatus(Status.UNAVAILABLE.withDescription("connection refused")
                .asRuntimeException());
        assertThat(e.kind()).isEqualTo(ErrorKind.UNCATALOGUED);
        assertThat(e.code()).isEqualTo(Code.UNAVAILABLE);
        assertThat(e.getMessage()).contains("connection refused");
        assertThat(GrpcErrors.fromStatus(Status.DEADLINE_EXCEEDED.asRuntimeException()).code())
                .isEqualTo(Code.DEADLINE_EXCEEDED);
    }

    @Test
    void unexpectedExceptionsBecomeInternalErrors() {
        StatusRuntimeException s = GrpcErrors.toStatus(new NullPointerException("bug"));
        assertThat(s.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(GrpcErrors.fromStatus(s).kind()).isEqualTo(ErrorKind.INTERNAL);
    }
}
