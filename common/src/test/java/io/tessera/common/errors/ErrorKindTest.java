package io.tessera.common.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.tessera.proto.vtrpc.Code;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ErrorKindTest {
    @Test
    void idsAreUniqueAndResolve() {
        assertThat(Arrays.stream(ErrorKind.values()).map(ErrorKind::id).distinct().count())
                .isEqualTo(ErrorKind.values().length);
        for (ErrorKind k : ErrorKind.values()) {
            assertThat(ErrorKind.byId(k.id())).contains(k);
            assertThat(k.template()).isNotBlank();
        }
        assertThat(ErrorKind.byId("TS9999")).isEmpty();
    }

    @Test
    void everyCatalogueErrorHasAMysqlErrorAndAFailureCode() {
        for (ErrorKind k : ErrorKind.values()) {
            assertThat(k.code()).isNotIn(Code.OK, Code.UNRECOGNIZED);
            assertThat(k.grpcCode()).isNotEqualTo(Status.Code.OK);
            if (k != ErrorKind.MYSQL_ERROR) {
                assertThat(k.mysqlErrno()).as(k.name()).isPositive();
                assertThat(k.sqlState()).as(k.name()).hasSize(5);
            }
        }
    }

    @Test
    void theQueryServiceErrorsCarryTheirAgreedCodes() {
        assertThat(ErrorKind.WRITE_ON_NON_PRIMARY.code()).isEqualTo(Code.READ_ONLY);
        assertThat(ErrorKind.WRITE_ON_NON_PRIMARY.mysqlErrno()).isEqualTo(1290);
        assertThat(ErrorKind.WRITE_ON_NON_PRIMARY.sqlState()).isEqualTo("HY000");
        assertThat(ErrorKind.WRITE_ON_NON_PRIMARY.format("zone1-0000000101", "REPLICA"))
                .contains("--read-only").contains("REPLICA");
        assertThat(ErrorKind.TX_POOL_FULL.code()).isEqualTo(Code.RESOURCE_EXHAUSTED);
        assertThat(ErrorKind.TX_POOL_FULL.grpcCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(ErrorKind.QUERY_TIMEOUT.code()).isEqualTo(Code.DEADLINE_EXCEEDED);
        assertThat(ErrorKind.MYSQLD_DOWN.code()).isEqualTo(Code.UNAVAILABLE);
        assertThat(ErrorKind.NOT_SERVING.code()).isEqualTo(Code.CLUSTER_EVENT);
        assertThat(ErrorKind.NOT_SERVING.grpcCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(ErrorKind.TX_NOT_FOUND.code()).isEqualTo(Code.NOT_FOUND);
        assertThat(ErrorKind.TX_EXPIRED.code()).isEqualTo(Code.ABORTED);
        assertThat(ErrorKind.BAD_REQUEST.code()).isEqualTo(Code.INVALID_ARGUMENT);
    }
}
