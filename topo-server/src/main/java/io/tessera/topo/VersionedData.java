package io.tessera.topo;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A file's contents together with the version they were read at.
 *
 * @param contents the bytes stored in the file (never null; the array must not be modified)
 * @param version the version of this write
 */
public record VersionedData(byte[] contents, Version version) {
    public VersionedData {
        if (contents == null || version == null) {
            throw new IllegalArgumentException("contents and version are required");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VersionedData other
                && version.equals(other.version)
                && Arrays.equals(contents, other.contents);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(contents) + version.hashCode();
    }

    @Override
    public String toString() {
        String shown = contents.length <= 32
                ? HexFormat.of().formatHex(contents)
                : HexFormat.of().formatHex(contents, 0, 32) + "...";
        return "VersionedData[" + contents.length + " bytes " + shown + ", version " + version + "]";
    }
}
