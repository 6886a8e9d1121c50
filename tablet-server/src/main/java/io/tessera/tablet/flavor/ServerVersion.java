package io.tessera.tablet.flavor;

import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The numeric part of a server's version, {@code major.minor.patch}. Flavors use it to choose between
 * statements that differ across releases, such as MySQL 8.0.23's {@code CHANGE REPLICATION SOURCE TO}.
 */
public record ServerVersion(int major, int minor, int patch) implements Comparable<ServerVersion> {
    private static final Pattern LEADING_VERSION = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");
    private static final Comparator<ServerVersion> ORDER = Comparator.comparingInt(ServerVersion::major)
            .thenComparingInt(ServerVersion::minor)
            .thenComparingInt(ServerVersion::patch);

    public ServerVersion {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("version numbers are not negative, got " + major + "." + minor + "."
                    + patch);
        }
    }

    /**
     * Reads the {@code major.minor.patch} that starts {@code text}; anything after it (a {@code -log} or
     * distribution suffix) is ignored.
     *
     * @throws IllegalArgumentException if {@code text} does not start with three dot-separated numbers
     */
    public static ServerVersion parse(String text) {
        Matcher m = text == null ? null : LEADING_VERSION.matcher(text.strip());
        if (m == null || !m.lookingAt()) {
            throw new IllegalArgumentException(
                    "expected a server version starting with major.minor.patch, such as 8.0.36, 5.7.44-log or "
                            + "10.11.19-MariaDB-0+deb12u1-log, got '" + text + "'");
        }
        try {
            return new ServerVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("version numbers too large in '" + text + "'", e);
        }
    }

    /** Returns true if this version is {@code major.minor.patch} or later. */
    public boolean atLeast(int major, int minor, int patch) {
        return compareTo(new ServerVersion(major, minor, patch)) >= 0;
    }

    @Override
    public int compareTo(ServerVersion other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
