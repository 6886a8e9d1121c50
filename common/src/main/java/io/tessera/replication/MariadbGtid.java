package io.tessera.replication;

/**
 * One MariaDB global transaction identifier, printed {@code domain-server-sequence} (for example
 * {@code 0-100-7}): transaction number {@code sequence} of replication domain {@code domain}, first written by
 * the server with {@code server_id} {@code serverId}.
 *
 * @param domain the replication domain, an unsigned 32-bit number
 * @param serverId the {@code server_id} of the server that wrote the transaction, an unsigned 32-bit number
 * @param sequence the transaction's number within its domain, an unsigned 64-bit number held in a
 *     {@code long}; compare it with {@link Long#compareUnsigned}
 */
public record MariadbGtid(long domain, long serverId, long sequence) {
    private static final long MAX_UINT32 = 0xFFFF_FFFFL;

    public MariadbGtid {
        if (domain < 0 || domain > MAX_UINT32) {
            throw new IllegalArgumentException("a MariaDB GTID domain is between 0 and " + MAX_UINT32 + ", got "
                    + domain);
        }
        if (serverId < 0 || serverId > MAX_UINT32) {
            throw new IllegalArgumentException("a MariaDB server id is between 0 and " + MAX_UINT32 + ", got "
                    + serverId);
        }
    }

    /**
     * Parses {@code domain-server-sequence}, for example {@code 0-100-7}.
     *
     * @throws IllegalArgumentException if the text is not three unsigned decimal numbers joined by dashes
     */
    public static MariadbGtid parse(String text) {
        String[] parts = text.strip().split("-", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException(expected(text, "three numbers joined by '-'"));
        }
        long domain = unsigned(parts[0], "domain", text);
        long server = unsigned(parts[1], "server id", text);
        long sequence = unsigned(parts[2], "sequence", text);
        if (domain > MAX_UINT32 || server > MAX_UINT32) {
            throw new IllegalArgumentException(expected(text, "domain and server id below 2^32"));
        }
        return new MariadbGtid(domain, server, sequence);
    }

    /** Returns true if this GTID's sequence number is higher than {@code other}'s. */
    boolean isAfter(MariadbGtid other) {
        return Long.compareUnsigned(sequence, other.sequence) > 0;
    }

    @Override
    public String toString() {
        return domain + "-" + serverId + "-" + Long.toUnsignedString(sequence);
    }

    private static long unsigned(String digits, String what, String text) {
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException(expected(text, "the " + what + " to be an unsigned decimal number"));
        }
        try {
            return Long.parseUnsignedLong(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(expected(text, "the " + what + " to fit in 64 bits"), e);
        }
    }

    private static String expected(String text, String detail) {
        return "expected a MariaDB GTID domain-server-sequence like 0-100-7 (" + detail + "), got '" + text + "'";
    }
}
