package io.tessera.replication;

/**
 * The text form of a {@link GtidPosition} on RPCs and in the topology: Vitess's {@code "<flavor>/<gtid set>"},
 * for example {@code "MariaDB/0-100-42"} or {@code "MySQL56/3e11fa47-71ca-11e1-9e33-c80aa9429562:1-10"}. The
 * empty position is the empty string, as in Vitess.
 */
public final class Positions {
    /** The flavor prefix of MariaDB positions. */
    public static final String MARIADB = "MariaDB";
    /** The flavor prefix of MySQL GTID sets (the GTID format MySQL introduced in 5.6). */
    public static final String MYSQL56 = "MySQL56";

    private static final String EXPECTED = "expected a position '<flavor>/<gtid set>' such as 'MariaDB/0-100-42' or "
            + "'MySQL56/3e11fa47-71ca-11e1-9e33-c80aa9429562:1-10', or '' for the empty position";

    private Positions() {}

    /** Encodes {@code position} with its flavor prefix; the empty position encodes as {@code ""}. */
    public static String encode(GtidPosition position) {
        return switch (position) {
            case EmptyGtidPosition empty -> "";
            case MariadbGtidPosition mariadb -> MARIADB + "/" + mariadb;
            case MysqlGtidPosition mysql -> MYSQL56 + "/" + mysql;
        };
    }

    /**
     * Decodes the output of {@link #encode}. {@code ""} and a flavor with an empty set ({@code "MariaDB/"}) are
     * the empty position.
     *
     * @throws IllegalArgumentException if the text has no {@code "<flavor>/"} prefix, names another flavor
     *     (flavor names are case-sensitive, as in Vitess), or holds a GTID set the flavor cannot parse
     */
    public static GtidPosition decode(String encoded) {
        if (encoded == null) {
            throw new IllegalArgumentException(EXPECTED + ", got null");
        }
        if (encoded.isEmpty()) {
            return GtidPosition.EMPTY;
        }
        int slash = encoded.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException(EXPECTED + ", got '" + encoded + "' without a flavor");
        }
        String flavor = encoded.substring(0, slash);
        String gtidSet = encoded.substring(slash + 1);
        return switch (flavor) {
            case MARIADB -> MariadbGtidPosition.parse(gtidSet);
            case MYSQL56 -> MysqlGtidPosition.parse(gtidSet);
            default -> throw new IllegalArgumentException(EXPECTED + ", got the unknown flavor '" + flavor + "' in '"
                    + encoded + "'");
        };
    }
}
