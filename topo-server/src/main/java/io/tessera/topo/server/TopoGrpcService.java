package io.tessera.topo.server;

import com.google.protobuf.ByteString;
import io.grpc.Context;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.tessera.proto.topo.CreateRequest;
import io.tessera.proto.topo.CreateResponse;
import io.tessera.proto.topo.DeleteRequest;
import io.tessera.proto.topo.DeleteResponse;
import io.tessera.proto.topo.GetRequest;
import io.tessera.proto.topo.GetResponse;
import io.tessera.proto.topo.KeepAliveLockRequest;
import io.tessera.proto.topo.KeepAliveLockResponse;
import io.tessera.proto.topo.ListDirRequest;
import io.tessera.proto.topo.ListDirResponse;
import io.tessera.proto.topo.LockRequest;
import io.tessera.proto.topo.LockResponse;
import io.tessera.proto.topo.TopoGrpc;
import io.tessera.proto.topo.UnlockRequest;
import io.tessera.proto.topo.UnlockResponse;
import io.tessera.proto.topo.UpdateRequest;
import io.tessera.proto.topo.UpdateResponse;
import io.tessera.proto.topo.WatchRequest;
import io.tessera.proto.topo.WatchResponse;
import io.tessera.topo.DirEntry;
import io.tessera.topo.LockOptions;
import io.tessera.topo.TopoConn;
import io.tessera.topo.TopoException;
import io.tessera.topo.Version;
import io.tessera.topo.remote.TopoStatusCodes;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code topo.Topo} gRPC service over any {@link TopoConn} backend. Each method validates the request, calls
 * the backend (or {@link HeldLocks} for locks) and maps a {@link TopoException} to the status {@code topo.proto}
 * names. Methods may block (a lock waits for its holder), so the server must run them on an executor, never on
 * its transport threads.
 *
 * <p>Requests are validated as {@code topo.proto} leaves them: a negative version is {@code INVALID_ARGUMENT};
 * a lock's {@code ttl_millis} must be at least 1000 and its {@code wait_timeout_millis} not negative (0 means try
 * once), as {@link LockOptions} requires, since an unset ttl has no sensible default on the wire; and a lock id is
 * required wherever one is named.
 */
public final class TopoGrpcService extends TopoGrpc.TopoImplBase {
    private static final Logger log = LoggerFactory.getLogger(TopoGrpcService.class);

    private final TopoConn backend;
    private final HeldLocks locks;

    /**
     * @param backend where files live and watches come from
     * @param locks the locks held for clients, taken in the same backend
     */
    public TopoGrpcService(TopoConn backend, HeldLocks locks) {
        this.backend = backend;
        this.locks = locks;
    }

    @Override
    public void create(CreateRequest req, StreamObserver<CreateResponse> out) {
        unary(out, () -> CreateResponse.newBuilder()
                .setVersion(backend.create(req.getPath(), req.getContents().toByteArray()).value())
                .build());
    }

    @Override
    public void get(GetRequest req, StreamObserver<GetResponse> out) {
        unary(out, () -> {
            var data = backend.get(req.getPath());
            return GetResponse.newBuilder()
                    .setContents(ByteString.copyFrom(data.contents()))
                    .setVersion(data.version().value())
                    .build();
        });
    }

    @Override
    public void update(UpdateRequest req, StreamObserver<UpdateResponse> out) {
        unary(out, () -> UpdateResponse.newBuilder()
                .setVersion(backend.update(req.getPath(), req.getContents().toByteArray(),
                        expected(req.getPath(), req.getVersion())).value())
                .build());
    }

    @Override
    public void delete(DeleteRequest req, StreamObserver<DeleteResponse> out) {
        unary(out, () -> {
            backend.delete(req.getPath(), expected(req.getPath(), req.getVersion()));
            return DeleteResponse.getDefaultInstance();
        });
    }

    @Override
    public void listDir(ListDirRequest req, StreamObserver<ListDirResponse> out) {
        unary(out, () -> {
            ListDirResponse.Builder b = ListDirResponse.newBuilder();
            for (DirEntry e : backend.listDir(req.getPath())) {
                b.addEntries(io.tessera.proto.topo.DirEntry.newBuilder().setName(e.name()).setIsDir(e.isDir()));
            }
            return b.build();
        });
    }

    @Override
    public void watch(WatchRequest req, StreamObserver<WatchResponse> out) {
        WatchForwarder forwarder = new WatchForwarder((ServerCallStreamObserver<WatchResponse>) out);
        try {
            forwarder.start(backend.watch(req.getPath(), forwarder));
        } catch (TopoException e) {
            forwarder.fail(e);
        } catch (RuntimeException e) {
            forwarder.fail(unexpected(req.getPath(), e));
        }
    }

    @Override
    public void lock(LockRequest req, StreamObserver<LockResponse> out) {
        unary(out, () -> {
            LockOptions options = lockOptions(req);
            String lockId;
            try (InterruptOnCancel ignored = InterruptOnCancel.arm()) {
                lockId = locks.acquire(req.getDirPath(), req.getContents(), options);
            }
            if (Context.current().isCancelled()) {
                // The caller gave up while the lock was being granted: nobody would keep it alive or release it.
                locks.release(lockId);
                throw new TopoException(TopoException.Code.INTERRUPTED, req.getDirPath(),
                        "the caller went away before the lock on " + req.getDirPath() + " was granted");
            }
            return LockResponse.newBuilder().setLockId(lockId).build();
        });
    }

    @Override
    public void keepAliveLock(KeepAliveLockRequest req, StreamObserver<KeepAliveLockResponse> out) {
        unary(out, () -> {
            locks.keepAlive(lockId(req.getLockId()));
            return KeepAliveLockResponse.getDefaultInstance();
        });
    }

    @Override
    public void unlock(UnlockRequest req, StreamObserver<UnlockResponse> out) {
        unary(out, () -> {
            locks.release(lockId(req.getLockId()));
            return UnlockResponse.getDefaultInstance();
        });
    }

    /** One unary call: its answer, or its error as a status. */
    @FunctionalInterface
    private interface Call<T> {
        T run() throws TopoException;
    }

    private static <T> void unary(StreamObserver<T> out, Call<T> call) {
        T response;
        try {
            response = call.run();
        } catch (TopoException e) {
            out.onError(TopoStatusCodes.toStatus(e).asRuntimeException());
            return;
        } catch (RuntimeException e) {
            out.onError(TopoStatusCodes.toStatus(unexpected("", e)).asRuntimeException());
            return;
        }
        out.onNext(response);
        out.onCompleted();
    }

    /** A backend failing in a way its contract does not name is, to the client, a backend that is unavailable. */
    private static TopoException unexpected(String path, RuntimeException e) {
        log.warn("topology backend failed unexpectedly", e);
        return new TopoException(TopoException.Code.UNAVAILABLE, path, "topology backend failed: " + e, e);
    }

    private static Version expected(String path, long version) throws TopoException {
        if (version < 0) {
            throw invalid(path, "version must be positive, or 0 for an unconditional write; got " + version);
        }
        return version == 0 ? null : new Version(version);
    }

    private static LockOptions lockOptions(LockRequest req) throws TopoException {
        try {
            return new LockOptions(Duration.ofMillis(req.getTtlMillis()),
                    Duration.ofMillis(req.getWaitTimeoutMillis()));
        } catch (IllegalArgumentException e) {
            throw invalid(req.getDirPath(), e.getMessage());
        }
    }

    private static String lockId(String id) throws TopoException {
        if (id.isEmpty()) {
            throw invalid("", "lock_id is required");
        }
        return id;
    }

    private static TopoException invalid(String path, String why) {
        return new TopoException(TopoException.Code.INVALID_ARGUMENT, path, why);
    }
}
