package io.tessera.topo.etcd;

import io.tessera.topo.DirEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** Turns the keys below a directory prefix into the directory's immediate children. */
final class DirListing {
    private DirListing() {}

    /**
     * The entries directly under {@code prefix}, sorted by name. A name with keys below it is a directory, even
     * if a file of the same name exists too (etcd allows both {@code a} and {@code a/b}): listing the directory
     * is the only way to reach what lives below it.
     *
     * @param prefix the directory prefix, ending with a slash
     * @param keys keys that all start with {@code prefix}, in any order
     */
    static List<DirEntry> children(String prefix, Iterable<String> keys) {
        // Sorting by name rather than trusting etcd's key order: "a-b" sorts before "a/b" as keys, but the
        // entry "a" must come before "a-b".
        TreeMap<String, Boolean> entries = new TreeMap<>();
        for (String key : keys) {
            if (!key.startsWith(prefix) || key.length() == prefix.length()) {
                continue;
            }
            String rest = key.substring(prefix.length());
            int slash = rest.indexOf('/');
            if (slash == 0) {
                continue;
            }
            String name = slash < 0 ? rest : rest.substring(0, slash);
            entries.merge(name, slash >= 0, Boolean::logicalOr);
        }
        List<DirEntry> result = new ArrayList<>(entries.size());
        entries.forEach((name, isDir) -> result.add(new DirEntry(name, isDir)));
        return List.copyOf(result);
    }
}
