package io.tessera.topo.embedded;

import io.tessera.topo.local.LeaseRecord;
import io.tessera.topo.local.NodeRecord;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** The byte layout of files and leases in the MVStore maps. Changing it needs a new format number. */
final class NodeCodec {
    private static final int HEADER = 3 * Long.BYTES;

    private NodeCodec() {}

    /** A file as {@code modRevision, createRevision, leaseId} (big-endian longs) followed by its contents. */
    static byte[] encode(NodeRecord node) {
        ByteBuffer buf = ByteBuffer.allocate(HEADER + node.contents().length);
        buf.putLong(node.modRevision()).putLong(node.createRevision()).putLong(node.leaseId()).put(node.contents());
        return buf.array();
    }

    static NodeRecord decode(byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        long mod = buf.getLong();
        long created = buf.getLong();
        long lease = buf.getLong();
        return new NodeRecord(Arrays.copyOfRange(bytes, HEADER, bytes.length), mod, created, lease);
    }

    /** A lease (the key is its id) as {@code ttlMillis, deadlineMillis}. */
    static long[] encode(LeaseRecord lease) {
        return new long[] {lease.ttlMillis(), lease.deadlineMillis()};
    }

    static LeaseRecord decode(long id, long[] value) {
        return new LeaseRecord(id, value[0], value[1]);
    }
}
