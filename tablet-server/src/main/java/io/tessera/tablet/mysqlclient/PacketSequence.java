package io.tessera.tablet.mysqlclient;

import io.netty.handler.codec.CorruptedFrameException;

/**
 * The sequence id of a connection's packets, shared by its decoder and encoder (both on the connection's loop).
 * Every command starts at 0 and each packet, in either direction, takes the next id, wrapping at 256; a packet from
 * the server with another id means the two sides disagree on where the exchange is, and the connection is unusable.
 */
final class PacketSequence {
    private int next;

    /** A new command: the client's packet takes id 0. */
    void reset() {
        next = 0;
    }

    /** The id of the next packet the client sends. */
    int nextOutbound() {
        int id = next;
        next = (next + 1) & 0xff;
        return id;
    }

    /** Checks the id of a packet from the server and moves past it. */
    void checkInbound(int id) {
        if (id != next) {
            throw new CorruptedFrameException("packet sequence id " + id + " from mysqld, expected " + next);
        }
        next = (next + 1) & 0xff;
    }
}
