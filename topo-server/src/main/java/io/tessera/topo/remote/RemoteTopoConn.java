package io.tessera.topo.remote;

import com.google.common.net.HostAndPort;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.tessera.proto.topo.CreateRequest;
import io.tessera.proto.topo.DeleteRequest;
import io.tessera.proto.topo.GetRequest;
import io.tessera.proto.topo.GetResponse;
import io.tessera.proto.topo.ListDirRequest;
import io.tessera.proto.topo.LockRequest;
import io.tessera.proto.topo.UpdateRequest;
import io.tessera.topo.DirEntry;
import io.tessera.topo.LockHandle;
import io.tessera.topo.LockOptions;
import io.tessera.topo.TopoConn;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoPaths;
import io.tessera.topo.TopoWatch;
import io.tessera.topo.Version;
import io.tessera.topo.VersionedData;
import io.tessera.topo.WatchEvent;
import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TopoConn} served by a {@code tessera-topo} daemon over gRPC (the {@code topo.Topo} service).
 *
 * <p>One plaintext channel carries every call. Server errors come back with their {@link TopoException.Code};
 * a server that cannot be reached gives {@code UNAVAILABLE}. Each watch is read and delivered by its own thread.
 * Each lock is kept alive by a {@code KeepAliveLock} every ttl/3 from one background thread per connection; the
 * server drops a lock it does not hear about for a ttl, so a client that dies loses its locks after their ttl.
 */
public final class RemoteTopoConn implements TopoConn {
    private static final Logger log = LoggerFactory.getLogger(RemoteTopoConn.class);
    private static final String SCHEME = "grpc://";
    /** How long {@link #close()} gives the server to confirm each unlock, so closing never hangs for long. */
    private static final Duration CLOSE_UNLOCK_DEADLINE = Duration.ofSeconds(2);

    private final ManagedChannel channel;
    private final TopoCalls calls;
    private final ScheduledExecutorService keepAlives;
    private final Set<RemoteWatch> watches = ConcurrentHashMap.newKeySet();
    private final Set<RemoteLock> locks = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private RemoteTopoConn(ManagedChannel channel, String target, RemoteTopoOptions options) {
        this.channel = channel;
        this.calls = new TopoCalls(channel, target, options.callTimeout());
        this.keepAlives = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "topo-lock-keepalive " + target);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Connects to a {@code tessera-topo} at {@code address} ({@code host:port} or {@code grpc://host:port})
     * with the default options. The channel connects lazily: a server that is down shows up as
     * {@code UNAVAILABLE} on the first call, not here.
     *
     * @throws IllegalArgumentException if the address is not {@code host:port}
     */
    public static RemoteTopoConn connect(String address) {
        return connect(address, RemoteTopoOptions.DEFAULT);
    }

    /** Like {@link #connect(String)}, with the given options. */
    public static RemoteTopoConn connect(String address, RemoteTopoOptions options) {
        HostAndPort hp = parseAddress(address);
        ManagedChannel channel = Grpc.newChannelBuilderForAddress(hp.getHost(), hp.getPort(),
                InsecureChannelCredentials.create()).build();
        return new RemoteTopoConn(channel, hp.toString(), options);
    }

    /**
     * A connection over a channel the caller built (in-process for tests, or with its own credentials). The
     * connection owns the channel from now on and shuts it down on {@link #close()}.
     */
    public static RemoteTopoConn over(ManagedChannel channel, RemoteTopoOptions options) {
        return new RemoteTopoConn(Objects.requireNonNull(channel, "channel"), channel.authority(),
                Objects.requireNonNull(options, "options"));
    }

    /** Parses {@code host:port} or {@code grpc://host:port}. */
    static HostAndPort parseAddress(String address) {
        Objects.requireNonNull(address, "address");
        String hostPort = address.startsWith(SCHEME) ? address.substring(SCHEME.length()) : address;
        if (hostPort.endsWith("/")) {
            hostPort = hostPort.substring(0, hostPort.length() - 1);
        }
        try {
            HostAndPort hp = HostAndPort.fromString(hostPort);
            if (!hp.hasPort() || hp.getHost().isEmpty()) {
                throw new IllegalArgumentException("no port");
            }
            return hp;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("topo server address must be host:port or grpc://host:port, got '"
                    + address + "'", e);
        }
    }

    @Override
    public Version create(String path, byte[] contents) throws TopoException {
        checkOpen(TopoPaths.checkFile(path));
        long v = calls.unary(path, s -> s.create(CreateRequest.newBuilder()
                .setPath(path).setContents(ByteString.copyFrom(contents)).build())).getVersion();
        return version(v, path);
    }

    @Override
    public VersionedData get(String path) throws TopoException {
        checkOpen(TopoPaths.checkFile(path));
        GetResponse r = calls.unary(path, s -> s.get(GetRequest.newBuilder().setPath(path).build()));
        return new VersionedData(r.getContents().toByteArray(), version(r.getVersion(), path));
    }

    @Override
    public Version update(String path, byte[] contents, Version expected) throws TopoException {
        checkOpen(TopoPaths.checkFile(path));
        long v = calls.unary(path, s -> s.update(UpdateRequest.newBuilder()
                .setPath(path)
                .setContents(ByteString.copyFrom(contents))
                .setVersion(expected == null ? 0 : expected.value())
                .build())).getVersion();
        return version(v, path);
    }

    @Override
    public void delete(String path, Version expected) throws TopoException {
        checkOpen(TopoPaths.checkFile(path));
        calls.unary(path, s -> s.delete(DeleteRequest.newBuilder()
                .setPath(path)
                .setVersion(expected == null ? 0 : expected.value())
                .build()));
    }

    @Override
    public List<DirEntry> listDir(String dirPath) throws TopoException {
        checkOpen(TopoPaths.checkDir(dirPath));
        var entries = calls.unary(dirPath, s -> s.listDir(ListDirRequest.newBuilder().setPath(dirPath).build()))
                .getEntriesList();
        List<DirEntry> out = new ArrayList<>(entries.size());
        for (var e : entries) {
            out.add(new DirEntry(e.getName(), e.getIsDir()));
        }
        return out;
    }

    @Override
    public TopoWatch watch(String path, Consumer<WatchEvent> listener) throws TopoException {
        checkOpen(TopoPaths.checkFile(path));
        Objects.requireNonNull(listener, "listener");
        RemoteWatch watch = RemoteWatch.start(calls, path, listener, watches::remove);
        watches.add(watch);
        if (watch.ended()) {
            // It ended (say, the file was deleted) before it was registered, and its end could not unregister it.
            watches.remove(watch);
        }
        if (closed) {
            // close() ran while the watch was starting and could not see it.
            watch.cancel();
            throw closedError(path);
        }
        return watch;
    }

    @Override
    public LockHandle lock(String dirPath, String contents, LockOptions options) throws TopoException {
        checkOpen(TopoPaths.checkDir(dirPath));
        Objects.requireNonNull(options, "options");
        long requestedAt = System.nanoTime();
        // The server waits up to waitTimeout for the lock; the call deadline leaves it time to answer after that.
        Duration deadline = options.waitTimeout().plus(calls.callTimeout());
        String lockId = calls.unary(dirPath, deadline, s -> s.lock(LockRequest.newBuilder()
                .setDirPath(dirPath)
                .setContents(contents == null ? "" : contents)
                .setTtlMillis(options.ttl().toMillis())
                .setWaitTimeoutMillis(options.waitTimeout().toMillis())
                .build())).getLockId();
        RemoteLock lock = new RemoteLock(calls, dirPath, contents == null ? "" : contents, lockId, options.ttl(),
                requestedAt, locks::remove);
        locks.add(lock);
        if (closed) {
            releaseQuietly(lock);
            throw closedError(dirPath);
        }
        lock.startKeepAlive(keepAlives);
        return lock;
    }

    /** Cancels this connection's watches, releases its locks and shuts the channel down. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (RemoteWatch w : List.copyOf(watches)) {
            w.cancel();
        }
        for (RemoteLock l : List.copyOf(locks)) {
            releaseQuietly(l);
        }
        keepAlives.shutdownNow();
        channel.shutdownNow();
        try {
            if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("channel to {} did not terminate within 5s", calls.target());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void releaseQuietly(RemoteLock lock) {
        try {
            lock.unlock(CLOSE_UNLOCK_DEADLINE);
        } catch (TopoException e) {
            // The server drops the lock by itself once its ttl passes without a keep-alive.
            log.warn("could not release lock on {} while closing: {}", lock.dirPath(), e.getMessage());
        }
    }

    private void checkOpen(String path) throws TopoException {
        if (closed) {
            throw closedError(path);
        }
    }

    private TopoException closedError(String path) {
        return new TopoException(TopoException.Code.UNAVAILABLE, path,
                "connection to topo server " + calls.target() + " is closed");
    }

    private Version version(long value, String path) throws TopoException {
        if (value <= 0) {
            throw new TopoException(TopoException.Code.UNAVAILABLE, path,
                    "topo server " + calls.target() + " answered with version " + value);
        }
        return new Version(value);
    }
}
