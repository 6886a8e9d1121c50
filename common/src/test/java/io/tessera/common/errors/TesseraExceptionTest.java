package io.tessera.common.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.proto.vtrpc.Code;
import io.tessera.proto.vtrpc.RPCError;
import org.junit.jupiter.api.Test;

class TesseraExceptionTest {
    @Test
    void catalogueErrorsTakeCodeAndMysqlErrorFromTheirKind() {
        TesseraException e = TesseraException.of(ErrorKind.TX_POOL_FULL, 20, "zone1-0000000100", "1s");
        assertThat(e.code()).isEqualTo(Code.RESOURCE_EXHAUSTED);
        assertThat(e.mysqlErrno()).isEqualTo(1203);
        assertThat(e.sqlState()).isEqualTo("42000");
        assertThat(e.errorId()).isEqualTo("TS0203");
        assertThat(e.getMessage()).contains("20 transactions").contains("--queryserver-config-transaction-cap");
        assertThatThrownBy(() -> TesseraException.of(ErrorKind.MYSQL_ERROR, "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mysqlErrorsKeepErrnoAndSqlstateAndGetACodeFromTheErrno() {
        TesseraException dup = TesseraException.mysql(1062, "23000", "Duplicate entry '1' for key 'PRIMARY'", null);
        assertThat(dup.kind()).isEqualTo(ErrorKind.MYSQL_ERROR);
        assertThat(dup.code()).isEqualTo(Code.ALREADY_EXISTS);
        assertThat(dup.mysqlErrno()).isEqualTo(1062);
        assertThat(dup.sqlState()).isEqualTo("23000");
        assertThat(TesseraException.mysql(1146, "42S02", "no table", null).code()).isEqualTo(Code.NOT_FOUND);
        assertThat(TesseraException.mysql(1290, "HY000", "read only", null).code()).isEqualTo(Code.READ_ONLY);
        assertThat(TesseraException.mysql(1213, "40001", "deadlock", null).code()).isEqualTo(Code.ABORTED);
        assertThat(TesseraException.mysql(4025, "23000", "CHECK constraint", null).code()).isEqualTo(Code.UNKNOWN);
        assertThat(TesseraException.mysql(9999, "08S01", "comms", null).code()).isEqualTo(Code.UNAVAILABLE);
    }

    @Test
    void roundTripsThroughRpcError() {
        for (TesseraException e : new TesseraException[] {
                TesseraException.of(ErrorKind.QUERY_TIMEOUT, "1s"),
                TesseraException.mysql(1062, "23000", "Duplicate entry", null),
                TesseraException.uncatalogued(Code.UNAVAILABLE, 1105, "HY000", "", "connection refused", null)}) {
            RPCError wire = e.toRpcError();
            TesseraException back = TesseraException.fromRpcError(wire, null);
            assertThat(back.kind()).isEqualTo(e.kind());
            assertThat(back.code()).isEqualTo(e.code());
            assertThat(back.mysqlErrno()).isEqualTo(e.mysqlErrno());
            assertThat(back.sqlState()).isEqualTo(e.sqlState());
            assertThat(back.errorId()).isEqualTo(e.errorId());
            assertThat(back.getMessage()).isEqualTo(e.getMessage());
        }
    }

    @Test
    void anUnknownIdFromANewerPeerKeepsItsFieldsExactly() {
        RPCError wire = RPCError.newBuilder().setCode(Code.CLUSTER_EVENT).setMysqlErrno(1234).setSqlstate("HY001")
                .setErrorId("TS7777").setMessage("new kind").build();
        TesseraException e = TesseraException.fromRpcError(wire, null);
        assertThat(e.kind()).isEqualTo(ErrorKind.UNCATALOGUED);
        assertThat(e.code()).isEqualTo(Code.CLUSTER_EVENT);
        assertThat(e.mysqlErrno()).isEqualTo(1234);
        assertThat(e.sqlState()).isEqualTo("HY001");
        assertThat(e.errorId()).isEqualTo("TS7777");
        assertThat(e.toRpcError()).isEqualTo(wire);
    }
}
