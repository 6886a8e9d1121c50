package io.tessera.topo.remote;

import io.tessera.topo.TopoAddress;
import io.tessera.topo.TopoConn;
import io.tessera.topo.TopoConnProvider;
import io.tessera.topo.TopoException;

/** Opens {@code grpc://host:port} addresses as {@link RemoteTopoConn}s to a {@code tessera-topo}. */
public final class RemoteTopoConnProvider implements TopoConnProvider {

    @Override
    public String scheme() {
        return "grpc";
    }

    @Override
    public TopoConn open(TopoAddress address) throws TopoException {
        if (address.hosts().size() != 1) {
            throw new TopoException(TopoException.Code.INVALID_ARGUMENT, "",
                    "grpc:// takes exactly one host:port, got " + address.hosts());
        }
        try {
            return RemoteTopoConn.connect(address.hosts().getFirst());
        } catch (IllegalArgumentException e) {
            throw new TopoException(TopoException.Code.INVALID_ARGUMENT, "", e.getMessage(), e);
        }
    }
}
