package io.tessera.topo.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoException.Code;
import org.junit.jupiter.api.Test;

class TopoStatusCodesTest {

    @Test
    void everyCodeSurvivesTheWireExceptLockLostWhichReadsAsAMissingNode() {
        for (Code code : Code.values()) {
            Status status = TopoStatusCodes.toStatus(new TopoException(code, "p", "why " + code));
            assertThat(status.getDescription()).isEqualTo("why " + code);
            TopoException back = TopoStatusCodes.toTopoException(status.asRuntimeException(), "p", "h:1");
            assertThat(back.code()).as("%s via %s", code, status.getCode())
                    .isEqualTo(code == Code.LOCK_LOST ? Code.NO_NODE : code);
            assertThat(back.path()).isEqualTo("p");
        }
    }

    @Test
    void statusesFromTheProtoHeaderMapAsDocumented() {
        assertThat(TopoStatusCodes.toStatus(new TopoException(Code.NO_NODE, "", "")).getCode())
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(TopoStatusCodes.toStatus(new TopoException(Code.NODE_EXISTS, "", "")).getCode())
                .isEqualTo(Status.Code.ALREADY_EXISTS);
        assertThat(TopoStatusCodes.toStatus(new TopoException(Code.BAD_VERSION, "", "")).getCode())
                .isEqualTo(Status.Code.ABORTED);
        assertThat(TopoStatusCodes.toStatus(new TopoException(Code.TIMEOUT, "", "")).getCode())
                .isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        assertThat(TopoStatusCodes.toStatus(new TopoException(Code.INTERRUPTED, "", "")).getCode())
                .isEqualTo(Status.Code.CANCELLED);
        assertThat(TopoStatusCodes.toCode(Status.Code.FAILED_PRECONDITION)).isEqualTo(Code.INVALID_ARGUMENT);
    }

    @Test
    void connectionFailuresAndUnknownStatusesAreUnavailableAndNameTheServer() {
        for (Status.Code c : new Status.Code[] {Status.Code.UNAVAILABLE, Status.Code.INTERNAL, Status.Code.UNKNOWN,
                Status.Code.UNIMPLEMENTED, Status.Code.RESOURCE_EXHAUSTED}) {
            TopoException e = TopoStatusCodes.toTopoException(
                    Status.fromCode(c).withDescription("io exception").asRuntimeException(), "x", "10.0.0.1:15990");
            assertThat(e.code()).isEqualTo(Code.UNAVAILABLE);
            assertThat(e.getMessage()).contains("10.0.0.1:15990").contains("io exception");
        }
    }
}
