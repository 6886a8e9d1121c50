package io.tessera.topo;

import java.util.regex.Pattern;

/** Validation and joining of topology paths, shared by every backend so they all accept the same paths. */
public final class TopoPaths {
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_.@:+=,\\-]+");

    /** The directory (below a locked directory) that holds the lock nodes. */
    public static final String LOCKS_DIR = "locks";

    private TopoPaths() {}

    /**
     * Checks a file path: non-empty, no leading or trailing slash, no empty, {@code .} or {@code ..} segment,
     * segments made of letters, digits and {@code _ . @ : + = , -}.
     *
     * @throws TopoException {@code INVALID_ARGUMENT} naming what is wrong
     */
    public static String checkFile(String path) throws TopoException {
        if (path == null || path.isEmpty()) {
            throw invalid(path, "empty path");
        }
        checkSegments(path);
        return path;
    }

    /** Checks a directory path: like {@link #checkFile} but {@code ""} (the root) is allowed. */
    public static String checkDir(String path) throws TopoException {
        if (path == null) {
            throw invalid(path, "null path");
        }
        if (!path.isEmpty()) {
            checkSegments(path);
        }
        return path;
    }

    /** Joins path segments with {@code /}, skipping empty ones. */
    public static String join(String... parts) {
        StringBuilder sb = new StringBuilder();
        for (String p : parts) {
            if (p == null || p.isEmpty()) {
                continue;
            }
            if (!sb.isEmpty()) {
                sb.append('/');
            }
            sb.append(p);
        }
        return sb.toString();
    }

    private static void checkSegments(String path) throws TopoException {
        for (String seg : path.split("/", -1)) {
            if (seg.isEmpty()) {
                throw invalid(path, "empty segment (leading, trailing or double slash)");
            }
            if (seg.equals(".") || seg.equals("..")) {
                throw invalid(path, "'.' and '..' are not allowed");
            }
            if (!SEGMENT.matcher(seg).matches()) {
                throw invalid(path, "segment '" + seg + "' has a character outside [A-Za-z0-9_.@:+=,-]");
            }
        }
    }

    private static TopoException invalid(String path, String why) {
        return new TopoException(TopoException.Code.INVALID_ARGUMENT, path == null ? "" : path,
                "invalid topology path '" + path + "': " + why);
    }
}
