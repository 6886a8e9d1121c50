package io.tessera.topo.etcd;

import io.etcd.jetcd.ByteSequence;
import io.tessera.topo.TopoPaths;
import java.nio.charset.StandardCharsets;

/**
 * Maps topology paths to etcd keys below one root. A file {@code a/b} lives at key {@code <root>/a/b}; the
 * directory {@code a} is every key starting with {@code <root>/a/}.
 */
final class KeySpace {
    private final String root;

    /**
     * @param root the key prefix, such as {@code /tessera/global}; a missing leading slash is added and trailing
     *     slashes are dropped, so {@code tessera/} and {@code /tessera} name the same root
     */
    KeySpace(String root) {
        if (root == null) {
            throw new IllegalArgumentException("etcd root must not be null");
        }
        String r = root.strip();
        while (r.endsWith("/")) {
            r = r.substring(0, r.length() - 1);
        }
        if (!r.isEmpty() && !r.startsWith("/")) {
            r = "/" + r;
        }
        this.root = r;
    }

    /** The normalised root: empty or starting with a slash, never ending with one. */
    String root() {
        return root;
    }

    /** The key of a file. */
    ByteSequence file(String path) {
        return bytes(fileKey(path));
    }

    String fileKey(String path) {
        return root + "/" + path;
    }

    /** The prefix every key below a directory starts with (ends with a slash). */
    String dirPrefix(String dirPath) {
        return dirPath.isEmpty() ? root + "/" : root + "/" + dirPath + "/";
    }

    /** The prefix of the lock nodes of a directory. */
    String locksPrefix(String dirPath) {
        return dirPrefix(TopoPaths.join(dirPath, TopoPaths.LOCKS_DIR));
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    static String string(ByteSequence b) {
        return b.toString(StandardCharsets.UTF_8);
    }
}
