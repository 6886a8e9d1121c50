package io.tessera.topo;

/**
 * Opens connections for one address scheme. Each backend registers one provider in
 * {@code META-INF/services/io.tessera.topo.TopoConnProvider}, so {@link TopoConnFactory} needs no compile-time
 * knowledge of the backends and a process only carries the ones on its class path.
 */
public interface TopoConnProvider {

    /** The address scheme this provider serves, e.g. {@code etcd}. */
    String scheme();

    /**
     * Opens a connection.
     *
     * @throws TopoException {@code UNAVAILABLE} if the backend cannot be reached; {@code INVALID_ARGUMENT} if the
     *     address does not suit this backend
     */
    TopoConn open(TopoAddress address) throws TopoException;
}
