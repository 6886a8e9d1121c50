package io.tessera.topo.server;

import io.tessera.topo.TopoConn;

/** A backend opened for serving: the connection the server uses, and what to close when the server stops. */
public interface TopoBackend extends AutoCloseable {

    /** The connection every call is served through. */
    TopoConn conn();

    /** Where the data lives, for the startup log. */
    String describe();

    /** Closes the connection (releasing its locks and watches) and the store behind it. */
    @Override
    void close();
}
