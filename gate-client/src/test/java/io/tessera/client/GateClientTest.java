package io.tessera.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.tessera.gate.grpc.VitessGrpcService;
import io.tessera.proto.vtrpc.Code;
import io.tessera.testing.FreePorts;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link GateClient#connect} over a real TCP socket, to a listening gate and to a port where none listens. */
class GateClientTest {
    @Test
    void connectsOverTcpAndClosesItsChannel() throws Exception {
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        Server server = Grpc.newServerBuilderForPort(FreePorts.next(), InsecureServerCredentials.create())
                .executor(threads).addService(new VitessGrpcService(new SessionKeepingExecutor(), threads))
                .build().start();
        try (GateClient client = GateClient.connect("127.0.0.1", server.getPort())) {
            GateSession session = client.session("customer@replica");
            assertThat(session.execute("select target").rows().getFirst().get("target"))
                    .isEqualTo("customer@replica");
        } finally {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            threads.shutdownNow();
        }
    }

    @Test
    void anUnreachableGateIsUnavailable() {
        try (GateClient client = GateClient.connect("127.0.0.1", FreePorts.next())) {
            assertThatThrownBy(() -> client.session("commerce").execute("select 1"))
                    .isInstanceOfSatisfying(GateException.class,
                            e -> assertThat(e.code()).isEqualTo(Code.UNAVAILABLE));
        }
    }
}
