package io.tessera.topo;

/**
 * One entry directly under a topology directory.
 *
 * @param name the entry's name (one path segment, no slash)
 * @param isDir true for a directory (a prefix of other files), false for a file
 */
public record DirEntry(String name, boolean isDir) implements Comparable<DirEntry> {
    @Override
    public int compareTo(DirEntry o) {
        return name.compareTo(o.name);
    }
}
