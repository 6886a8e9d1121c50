package io.tessera.tablet.mysqlclient;

import io.netty.buffer.ByteBuf;

/**
 * Reads mysqld's response to one command, packet by packet, on the connection's loop.
 *
 * @param <T> what a successful response is read into
 */
interface ResponseReader<T> {
    /** What {@link #read} made of a packet. */
    enum Progress {
        /** More packets belong to this response. */
        MORE,
        /** The response is complete: {@link #result()} or {@link #failure()} holds the outcome. */
        DONE
    }

    /**
     * Takes the next packet of the response; the caller keeps ownership of {@code p}.
     *
     * @throws io.netty.handler.codec.CorruptedFrameException if the packet does not fit the protocol at this point
     */
    Progress read(ByteBuf p);

    /** Once DONE: why the command failed (an ERR packet, say), or null if it succeeded. */
    RuntimeException failure();

    /** Once DONE without a failure: the outcome. */
    T result();
}
