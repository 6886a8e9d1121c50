package io.tessera.gate.mysql;

/**
 * One authenticated client connection as the layer above sees it when the connection opens.
 *
 * @param connectionId the id sent in the handshake (what {@code CONNECTION_ID()} returns through the gate)
 * @param user who logged in
 * @param database the database named in the handshake response, empty for none
 * @param capabilities the capability flags both sides agreed on (CLIENT_FOUND_ROWS, CLIENT_MULTI_STATEMENTS...)
 */
public record ClientConnection(long connectionId, AuthenticatedUser user, String database, int capabilities) {
    /** CLIENT_FOUND_ROWS: report rows matched instead of rows changed. */
    public static final int CLIENT_FOUND_ROWS = 1 << 1;
    /** CLIENT_MULTI_STATEMENTS: COM_QUERY may carry several statements separated by ';'. */
    public static final int CLIENT_MULTI_STATEMENTS = 1 << 16;

    /** Whether affected-row counts of updates should count matched rows rather than changed ones. */
    public boolean foundRows() {
        return (capabilities & CLIENT_FOUND_ROWS) != 0;
    }

    /**
     * Whether the client allowed several statements per COM_QUERY at connect time (COM_SET_OPTION may change this
     * later; the protocol layer keeps that state).
     */
    public boolean multiStatements() {
        return (capabilities & CLIENT_MULTI_STATEMENTS) != 0;
    }
}
