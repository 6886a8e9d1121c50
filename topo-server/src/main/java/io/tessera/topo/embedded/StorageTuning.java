package io.tessera.topo.embedded;

/**
 * How the store file is kept compact.
 *
 * @param compactEveryWrites after how many writes to rewrite sparsely used chunks of the file, so the space of the
 *     many small commits is reused instead of growing the file
 * @param retentionMillis how long a chunk that no longer holds live data stays untouched before its space may be
 *     reused; H2's default guards against disks that acknowledge a flush before the data is really written
 */
record StorageTuning(int compactEveryWrites, int retentionMillis) {
    static final StorageTuning DEFAULT = new StorageTuning(1_000, 45_000);

    StorageTuning {
        if (compactEveryWrites < 1 || retentionMillis < 0) {
            throw new IllegalArgumentException("bad storage tuning: " + compactEveryWrites + ", " + retentionMillis);
        }
    }
}
