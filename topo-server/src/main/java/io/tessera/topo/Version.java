package io.tessera.topo;

/**
 * The version of a topology file: an opaque number that changes on every write. Backends use a store-wide
 * revision (etcd's mod revision, the embedded store's commit counter), so versions only grow.
 *
 * @param value the backend's revision of the last write to the file; always positive
 */
public record Version(long value) {
    public Version {
        if (value <= 0) {
            throw new IllegalArgumentException("a version is positive, got " + value);
        }
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
