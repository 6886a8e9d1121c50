package io.tessera.topo.local;

/**
 * One file of a local topology store as a {@link Persistence} stores it.
 *
 * @param contents the file's bytes; never modified once the record exists
 * @param modRevision the store revision of the file's last write, which is the file's {@code Version}
 * @param createRevision the store revision at which the file was created; lock order follows it
 * @param leaseId the lease the file lives on (it is deleted when that lease expires), or 0 for none
 */
public record NodeRecord(byte[] contents, long modRevision, long createRevision, long leaseId) {
    public NodeRecord {
        if (contents == null) {
            throw new IllegalArgumentException("contents are required");
        }
        if (modRevision <= 0 || createRevision <= 0 || createRevision > modRevision) {
            throw new IllegalArgumentException(
                    "bad revisions: created at " + createRevision + ", modified at " + modRevision);
        }
        if (leaseId < 0) {
            throw new IllegalArgumentException("a lease id is never negative, got " + leaseId);
        }
    }
}
