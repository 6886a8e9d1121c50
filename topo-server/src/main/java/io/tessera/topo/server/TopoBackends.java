package io.tessera.topo.server;

import io.tessera.topo.TopoException;

/** Opens the backend a {@link BackendConfig} names. */
final class TopoBackends {
    private TopoBackends() {}

    static TopoBackend open(BackendConfig config) throws TopoException {
        throw new TopoException(TopoException.Code.UNAVAILABLE, "", "not wired yet: " + config.describe());
    }
}
