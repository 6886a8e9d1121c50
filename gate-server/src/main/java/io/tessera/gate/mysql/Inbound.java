package io.tessera.gate.mysql;

/** What the event loop hands to a connection's session thread. */
sealed interface Inbound {
    /**
     * One complete packet (the chunks of a multi-packet payload joined).
     *
     * @param sequenceId the sequence id of its first chunk
     * @param nextSequenceId the sequence id the next packet of the exchange must carry
     */
    record Packet(int sequenceId, int nextSequenceId, byte[] payload) implements Inbound {}

    /** The client announced a packet longer than the limit; nothing after it is read. */
    record TooLarge(long length, int limit) implements Inbound {}

    /** The byte stream cannot be framed into packets; nothing after it is read. */
    record Malformed(String reason) implements Inbound {}

    /** The channel closed. */
    record Closed() implements Inbound {}
}
