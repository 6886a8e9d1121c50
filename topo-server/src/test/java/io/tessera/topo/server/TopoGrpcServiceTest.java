package io.tessera.topo.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.tessera.proto.topo.CreateRequest;
import io.tessera.proto.topo.DeleteRequest;
import io.tessera.proto.topo.GetRequest;
import io.tessera.proto.topo.KeepAliveLockRequest;
import io.tessera.proto.topo.ListDirRequest;
import io.tessera.proto.topo.LockRequest;
import io.tessera.proto.topo.TopoGrpc;
import io.tessera.proto.topo.UnlockRequest;
import io.tessera.proto.topo.UpdateRequest;
import io.tessera.proto.topo.WatchRequest;
import io.tessera.proto.topo.WatchResponse;
import io.tessera.topo.LockHandle;
import io.tessera.topo.LockOptions;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoPaths;
import io.tessera.topo.Version;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The gRPC service over a memory store, called with raw stubs: the wire contract of {@code topo.proto}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TopoGrpcServiceTest {
    private InProcessTopoServer topo;
    private TopoGrpc.TopoBlockingStub stub;

    @BeforeEach
    void start() throws Exception {
        topo = new InProcessTopoServer();
        stub = TopoGrpc.newBlockingStub(topo.channel()).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        topo.close();
    }

    private static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }

    private static Status.Code codeOf(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
        throw new AssertionError("expected the call to fail");
    }

    @Test
    void filesRoundTripWithVersions() {
        long v1 = stub.create(CreateRequest.newBuilder().setPath("a/b").setContents(bytes("1")).build()).getVersion();
        var got = stub.get(GetRequest.newBuilder().setPath("a/b").build());
        assertThat(got.getContents().toStringUtf8()).isEqualTo("1");
        assertThat(got.getVersion()).isEqualTo(v1);
        long v2 = stub.update(UpdateRequest.newBuilder().setPath("a/b").setContents(bytes("2")).setVersion(v1).build())
                .getVersion();
        assertThat(v2).isGreaterThan(v1);
        long v3 = stub.update(UpdateRequest.newBuilder().setPath("a/c").setContents(bytes("3")).build()).getVersion();
        assertThat(v3).as("version 0 writes unconditionally, creating the file").isGreaterThan(v2);
        var listing = stub.listDir(ListDirRequest.newBuilder().setPath("a").build()).getEntriesList();
        assertThat(listing).extracting(e -> e.getName()).containsExactly("b", "c");
        stub.delete(DeleteRequest.newBuilder().setPath("a/b").setVersion(v2).build());
        stub.delete(DeleteRequest.newBuilder().setPath("a/c").build());
        assertThat(codeOf(() -> stub.get(GetRequest.newBuilder().setPath("a/b").build())))
                .isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void errorsHaveTheStatusesTheProtoNames() {
        long v = stub.create(CreateRequest.newBuilder().setPath("f").setContents(bytes("1")).build()).getVersion();
        assertThat(codeOf(() -> stub.create(CreateRequest.newBuilder().setPath("f").build())))
                .isEqualTo(Status.Code.ALREADY_EXISTS);
        assertThat(codeOf(() -> stub.update(UpdateRequest.newBuilder().setPath("f").setVersion(v + 100).build())))
                .isEqualTo(Status.Code.ABORTED);
        assertThat(codeOf(() -> stub.get(GetRequest.newBuilder().setPath("missing").build())))
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(codeOf(() -> stub.listDir(ListDirRequest.newBuilder().setPath("nothing").build())))
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(codeOf(() -> stub.get(GetRequest.newBuilder().setPath("/abs").build())))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(codeOf(() -> stub.update(UpdateRequest.newBuilder().setPath("f").setVersion(-1).build())))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(codeOf(() -> stub.delete(DeleteRequest.newBuilder().setPath("f").setVersion(-5).build())))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void watchStreamsInitialThenChangesThenDeleteAndEnds() throws Exception {
        Version v1 = topo.backend().create("w", "1".getBytes());
        Iterator<WatchResponse> stream = TopoGrpc.newBlockingStub(topo.channel())
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .watch(WatchRequest.newBuilder().setPath("w").build());
        WatchResponse first = stream.next();
        assertThat(first.getKind()).isEqualTo(WatchResponse.Kind.INITIAL);
        assertThat(first.getVersion()).isEqualTo(v1.value());
        Version v2 = topo.backend().update("w", "2".getBytes(), v1);
        Version v3 = topo.backend().update("w", "3".getBytes(), v2);
        topo.backend().delete("w", v3);
        WatchResponse second = stream.next();
        WatchResponse third = stream.next();
        WatchResponse last = stream.next();
        assertThat(second.getKind()).isEqualTo(WatchResponse.Kind.CHANGED);
        assertThat(second.getVersion()).isEqualTo(v2.value());
        assertThat(second.getContents().toStringUtf8()).isEqualTo("2");
        assertThat(third.getVersion()).isEqualTo(v3.value());
        assertThat(last.getKind()).isEqualTo(WatchResponse.Kind.DELETED);
        assertThat(stream.hasNext()).as("the stream ends after DELETED").isFalse();
    }

    @Test
    void watchOfMissingFileFailsWithNotFound() {
        Iterator<WatchResponse> stream = TopoGrpc.newBlockingStub(topo.channel())
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .watch(WatchRequest.newBuilder().setPath("missing").build());
        assertThat(codeOf(stream::next)).isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void lockReturnsAnIdThatKeepsAliveAndUnlocks() throws Exception {
        topo.backend().create("ks/Keyspace", "k".getBytes());
        String id = stub.lock(lockRequest("ks", 10_000, 5_000)).getLockId();
        assertThat(id).isNotEmpty();
        assertThat(topo.backend().listDir("ks/" + TopoPaths.LOCKS_DIR)).hasSize(1);
        stub.keepAliveLock(KeepAliveLockRequest.newBuilder().setLockId(id).build());
        stub.unlock(UnlockRequest.newBuilder().setLockId(id).build());
        stub.unlock(UnlockRequest.newBuilder().setLockId(id).build());
        assertThat(codeOf(() -> stub.keepAliveLock(KeepAliveLockRequest.newBuilder().setLockId(id).build())))
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThatThrownBy(() -> topo.backend().listDir("ks/" + TopoPaths.LOCKS_DIR))
                .isInstanceOfSatisfying(TopoException.class,
                        e -> assertThat(e.code()).isEqualTo(TopoException.Code.NO_NODE));
    }

    @Test
    void lockErrors() throws Exception {
        assertThat(codeOf(() -> stub.lock(lockRequest("none", 10_000, 1_000)))).isEqualTo(Status.Code.NOT_FOUND);
        topo.backend().create("ks/Keyspace", "k".getBytes());
        assertThat(codeOf(() -> stub.lock(lockRequest("ks", 10, 1_000)))).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(codeOf(() -> stub.lock(lockRequest("ks", 10_000, -1)))).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(codeOf(() -> stub.keepAliveLock(KeepAliveLockRequest.getDefaultInstance())))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        try (LockHandle held = topo.backend().lock("ks", "held", LockOptions.DEFAULT)) {
            assertThat(codeOf(() -> stub.lock(lockRequest("ks", 10_000, 200))))
                    .isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        }
    }

    @Test
    void lockNotKeptAliveIsReleasedAfterItsTtl() throws Exception {
        topo.backend().create("ks/Keyspace", "k".getBytes());
        String id = stub.lock(lockRequest("ks", 1_000, 5_000)).getLockId();
        // Nobody keeps it alive: the server's own backend lease is renewed, but the reaper releases it.
        try (LockHandle next = topo.backend().lock("ks", "next",
                new LockOptions(Duration.ofSeconds(10), Duration.ofSeconds(30)))) {
            next.check();
        }
        assertThat(codeOf(() -> stub.keepAliveLock(KeepAliveLockRequest.newBuilder().setLockId(id).build())))
                .isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void lockWaitAbandonedByTheCallerLeavesNoLockBehind() throws Exception {
        topo.backend().create("ks/Keyspace", "k".getBytes());
        LockHandle held = topo.backend().lock("ks", "held", LockOptions.DEFAULT);
        // The caller's deadline passes long before the server-side wait would.
        assertThat(codeOf(() -> TopoGrpc.newBlockingStub(topo.channel())
                .withDeadlineAfter(300, TimeUnit.MILLISECONDS)
                .lock(lockRequest("ks", 10_000, 30_000)))).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        held.unlock();
        // Had the abandoned wait gone on to take the lock, this would wait out its 10 s ttl and time out.
        try (LockHandle next = topo.backend().lock("ks", "next",
                new LockOptions(Duration.ofSeconds(10), Duration.ofSeconds(5)))) {
            next.check();
            assertThat(topo.backend().listDir("ks/" + TopoPaths.LOCKS_DIR)).hasSize(1);
        }
    }

    @Test
    void healthReportsServingUntilTheServerStops() {
        var health = HealthGrpc.newBlockingStub(topo.channel()).withDeadlineAfter(10, TimeUnit.SECONDS);
        assertThat(health.check(HealthCheckRequest.newBuilder().setService(TopoGrpcServer.SERVICE_NAME).build())
                .getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
                .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        topo.stopServer();
        assertThatThrownBy(() -> health.check(HealthCheckRequest.getDefaultInstance()))
                .isInstanceOf(StatusRuntimeException.class);
    }

    private static LockRequest lockRequest(String dir, long ttlMillis, long waitMillis) {
        return LockRequest.newBuilder()
                .setDirPath(dir)
                .setContents("{\"Action\":\"test\"}")
                .setTtlMillis(ttlMillis)
                .setWaitTimeoutMillis(waitMillis)
                .build();
    }
}
