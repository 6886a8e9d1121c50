package io.tessera.topo.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.DeleteResponse;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.tessera.topo.DirEntry;
import io.tessera.topo.LockHandle;
import io.tessera.topo.LockOptions;
import io.tessera.topo.TopoConn;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoException.Code;
import io.tessera.topo.TopoPaths;
import io.tessera.topo.TopoWatch;
import io.tessera.topo.Version;
import io.tessera.topo.VersionedData;
import io.tessera.topo.WatchEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The topology on etcd (v3 API), the backend for production clusters.
 *
 * <p>A file {@code p} is the etcd key {@code <root>/p}; its {@link Version} is the key's mod revision, so versions
 * are store-wide and only grow. Conditional writes are etcd transactions comparing the key's create revision
 * (zero means "missing") or mod revision. A watch reads the file at some store revision and then streams from the
 * next revision, so it neither misses nor reorders a change. A lock on {@code d} is the node
 * {@code <root>/d/locks/<lease id>} on a lease this connection renews (see {@link EtcdLocker}).
 *
 * <p>Every request waits at most {@link EtcdConnOptions#operationTimeout()}. Thread-safe.
 */
public final class EtcdTopoConn implements TopoConn {
    private final Client client;
    private final KeySpace keys;
    private final EtcdCalls calls;
    private final EtcdConnOptions options;
    private final EtcdLocker locker;
    private final Set<EtcdWatch> watches = ConcurrentHashMap.newKeySet();
    private final Set<EtcdLock> locks = ConcurrentHashMap.newKeySet();
    /** Set first on close: no new operation starts. */
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Set once watches and locks are released, just before the jetcd client closes. */
    private final AtomicBoolean clientClosed = new AtomicBoolean();

    private EtcdTopoConn(Client client, KeySpace keys, List<String> endpoints, EtcdConnOptions options) {
        this.client = client;
        this.keys = keys;
        this.calls = new EtcdCalls(options.operationTimeout(), endpoints, closed::get, clientClosed::get);
        this.options = options;
        this.locker = new EtcdLocker(client, keys, calls);
    }

    /**
     * Connects with {@link EtcdConnOptions#DEFAULT}. See {@link #connect(List, String, EtcdConnOptions)}.
     */
    public static EtcdTopoConn connect(List<String> endpoints, String root) {
        return connect(endpoints, root, EtcdConnOptions.DEFAULT);
    }

    /**
     * Opens a connection to an etcd cluster. The gRPC channel connects lazily, so an unreachable cluster shows up
     * as {@code UNAVAILABLE} or {@code TIMEOUT} on the first operation, not here.
     *
     * @param endpoints the cluster's client endpoints as {@code host:port} (an {@code http://} URL is accepted too)
     * @param root the key prefix every path lives under, such as {@code /tessera/global}
     * @throws IllegalArgumentException if no endpoint is given or one is malformed
     */
    public static EtcdTopoConn connect(List<String> endpoints, String root, EtcdConnOptions options) {
        if (endpoints == null || endpoints.isEmpty()) {
            throw new IllegalArgumentException("at least one etcd endpoint is required");
        }
        if (options == null) {
            throw new IllegalArgumentException("etcd connection options are required");
        }
        KeySpace keys = new KeySpace(root);
        List<String> urls = endpoints.stream().map(EtcdTopoConn::toUrl).toList();
        Duration connectTimeout = options.operationTimeout().compareTo(Duration.ofSeconds(5)) < 0
                ? options.operationTimeout()
                : Duration.ofSeconds(5);
        Client client = Client.builder()
                .endpoints(urls.toArray(String[]::new))
                .connectTimeout(connectTimeout)
                // Fail fast while the cluster is unreachable, so callers get UNAVAILABLE rather than waiting out
                // the whole operation timeout.
                .waitForReady(false)
                // etcd refuses pings on idle connections (no active stream) and answers too many with GOAWAY.
                .keepaliveWithoutCalls(false)
                .keepaliveTime(Duration.ofSeconds(10))
                .build();
        return new EtcdTopoConn(client, keys, List.copyOf(endpoints), options);
    }

    /** The normalised key prefix of this connection. */
    public String root() {
        return keys.root();
    }

    @Override
    public Version create(String path, byte[] contents) throws TopoException {
        TopoPaths.checkFile(path);
        ensureOpen(path);
        ByteSequence key = keys.file(path);
        TxnResponse response = calls.await(() -> client.getKVClient().txn()
                .If(missing(key))
                .Then(Op.put(key, value(contents), PutOption.DEFAULT))
                .commit(), "create", path);
        if (!response.isSucceeded()) {
            throw TopoException.nodeExists(path);
        }
        return new Version(response.getHeader().getRevision());
    }

    @Override
    public VersionedData get(String path) throws TopoException {
        TopoPaths.checkFile(path);
        ensureOpen(path);
        GetResponse response = calls.await(() -> client.getKVClient().get(keys.file(path)), "get", path);
        if (response.getKvs().isEmpty()) {
            throw TopoException.noNode(path);
        }
        return data(response.getKvs().getFirst());
    }

    @Override
    public Version update(String path, byte[] contents, Version expected) throws TopoException {
        TopoPaths.checkFile(path);
        ensureOpen(path);
        ByteSequence key = keys.file(path);
        if (expected == null) {
            return new Version(calls.await(() -> client.getKVClient().put(key, value(contents)), "update", path)
                    .getHeader().getRevision());
        }
        TxnResponse response = calls.await(() -> client.getKVClient().txn()
                .If(modifiedAt(key, expected))
                .Then(Op.put(key, value(contents), PutOption.DEFAULT))
                .Else(Op.get(key, GetOption.builder().withCountOnly(true).build()))
                .commit(), "update", path);
        if (!response.isSucceeded()) {
            throw conflict(path, response);
        }
        return new Version(response.getHeader().getRevision());
    }

    @Override
    public void delete(String path, Version expected) throws TopoException {
        TopoPaths.checkFile(path);
        ensureOpen(path);
        ByteSequence key = keys.file(path);
        if (expected == null) {
            DeleteResponse response = calls.await(() -> client.getKVClient().delete(key), "delete", path);
            if (response.getDeleted() == 0) {
                throw TopoException.noNode(path);
            }
            return;
        }
        TxnResponse response = calls.await(() -> client.getKVClient().txn()
                .If(modifiedAt(key, expected))
                .Then(Op.delete(key, DeleteOption.DEFAULT))
                .Else(Op.get(key, GetOption.builder().withCountOnly(true).build()))
                .commit(), "delete", path);
        if (!response.isSucceeded()) {
            throw conflict(path, response);
        }
    }

    @Override
    public List<DirEntry> listDir(String dirPath) throws TopoException {
        TopoPaths.checkDir(dirPath);
        ensureOpen(dirPath);
        String prefix = keys.dirPrefix(dirPath);
        GetResponse response = calls.await(() -> client.getKVClient().get(KeySpace.bytes(prefix),
                GetOption.builder().isPrefix(true).withKeysOnly(true).build()), "list", dirPath);
        List<String> found = new ArrayList<>(response.getKvs().size());
        for (KeyValue kv : response.getKvs()) {
            found.add(KeySpace.string(kv.getKey()));
        }
        List<DirEntry> entries = DirListing.children(prefix, found);
        if (entries.isEmpty()) {
            throw TopoException.noNode(dirPath);
        }
        return entries;
    }

    @Override
    public TopoWatch watch(String path, Consumer<WatchEvent> listener) throws TopoException {
        TopoPaths.checkFile(path);
        ensureOpen(path);
        if (listener == null) {
            throw new TopoException(Code.INVALID_ARGUMENT, path, "a watch on '" + path + "' needs a listener");
        }
        ByteSequence key = keys.file(path);
        GetResponse current = calls.await(() -> client.getKVClient().get(key), "watch", path);
        if (current.getKvs().isEmpty()) {
            throw TopoException.noNode(path);
        }
        EtcdWatch[] self = new EtcdWatch[1];
        self[0] = new EtcdWatch(path, data(current.getKvs().getFirst()), listener,
                options.maxPendingWatchEvents(), calls, () -> watches.remove(self[0]));
        watches.add(self[0]);
        try {
            // The read saw every write up to the header revision; streaming from the next one leaves no gap.
            self[0].start(client.getWatchClient(), key, current.getHeader().getRevision() + 1);
        } catch (RuntimeException e) {
            self[0].cancel();
            throw calls.failure(e, "watch", path);
        }
        if (closed.get()) {
            self[0].cancel();
            throw calls.closed("watch", path);
        }
        return self[0];
    }

    @Override
    public LockHandle lock(String dirPath, String contents, LockOptions lockOptions) throws TopoException {
        TopoPaths.checkDir(dirPath);
        ensureOpen(dirPath);
        if (contents == null || lockOptions == null) {
            throw new TopoException(Code.INVALID_ARGUMENT, dirPath,
                    "a lock on '" + dirPath + "' needs contents and options");
        }
        EtcdLock lock = locker.lock(dirPath, contents, lockOptions, locks::add, locks::remove);
        if (closed.get()) {
            // close() ran while this lock was being taken and could not see it: release it here.
            releaseQuietly(lock);
            throw calls.closed("lock", dirPath);
        }
        return lock;
    }

    /**
     * Cancels this connection's watches, releases its locks and withdraws its lock attempts still waiting
     * (deleting their nodes and revoking their leases, so the next waiters get in at once), then closes the etcd
     * client. A {@link #lock} call still waiting fails with {@code UNAVAILABLE}. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (EtcdWatch w : List.copyOf(watches)) {
            w.cancel();
        }
        for (EtcdLock lock : List.copyOf(locks)) {
            releaseQuietly(lock);
        }
        locker.withdrawWaiting();
        clientClosed.set(true);
        client.close();
    }

    @Override
    public String toString() {
        return "EtcdTopoConn[" + calls.endpoints() + " root '" + keys.root() + "']";
    }

    private static void releaseQuietly(EtcdLock lock) {
        try {
            lock.unlock();
        } catch (TopoException e) {
            // Unreachable etcd: the lease is no longer renewed and expires on its own.
        }
    }

    private void ensureOpen(String path) throws TopoException {
        if (closed.get()) {
            throw calls.closed("use", path);
        }
    }

    /** After a failed compare on the mod revision: the Else branch counted the key, telling missing from changed. */
    private static TopoException conflict(String path, TxnResponse response) {
        boolean exists = !response.getGetResponses().isEmpty() && response.getGetResponses().getFirst().getCount() > 0;
        return exists ? TopoException.badVersion(path) : TopoException.noNode(path);
    }

    private static Cmp missing(ByteSequence key) {
        return new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0));
    }

    private static Cmp modifiedAt(ByteSequence key, Version expected) {
        return new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(expected.value()));
    }

    private static ByteSequence value(byte[] contents) {
        return ByteSequence.from(contents == null ? new byte[0] : contents);
    }

    private static VersionedData data(KeyValue kv) {
        return new VersionedData(kv.getValue().getBytes(), new Version(kv.getModRevision()));
    }

    private static String toUrl(String endpoint) {
        if (endpoint == null || endpoint.isBlank()) {
            throw new IllegalArgumentException("empty etcd endpoint");
        }
        String e = endpoint.strip();
        String url = e.contains("://") ? e : "http://" + e;
        java.net.URI uri = java.net.URI.create(url);
        if (uri.getHost() == null || uri.getPort() < 0) {
            throw new IllegalArgumentException("etcd endpoint '" + endpoint + "' is not host:port");
        }
        return url;
    }
}
