package io.tessera.topo.etcd;

import io.tessera.topo.TopoAddress;
import io.tessera.topo.TopoConn;
import io.tessera.topo.TopoConnProvider;
import io.tessera.topo.TopoException;

/**
 * Opens {@code etcd://h1:2379,h2:2379/root} addresses as {@link EtcdTopoConn}s. Like the connection itself, this
 * does not contact etcd: an unreachable cluster shows up on the first operation.
 */
public final class EtcdTopoConnProvider implements TopoConnProvider {
    private final EtcdConnOptions options;

    /** A provider with {@link EtcdConnOptions#DEFAULT}; the constructor {@link java.util.ServiceLoader} uses. */
    public EtcdTopoConnProvider() {
        this(EtcdConnOptions.DEFAULT);
    }

    public EtcdTopoConnProvider(EtcdConnOptions options) {
        this.options = options;
    }

    @Override
    public String scheme() {
        return "etcd";
    }

    @Override
    public TopoConn open(TopoAddress address) throws TopoException {
        if (!scheme().equals(address.scheme()) || address.hosts().isEmpty()) {
            throw new TopoException(TopoException.Code.INVALID_ARGUMENT, "",
                    "not an etcd address: " + address + " (expected etcd://host:2379[,host:2379]/root)");
        }
        try {
            return EtcdTopoConn.connect(address.hosts(), address.root(), options);
        } catch (IllegalArgumentException e) {
            throw new TopoException(TopoException.Code.INVALID_ARGUMENT, "",
                    "bad etcd address " + address + ": " + e.getMessage(), e);
        }
    }
}
