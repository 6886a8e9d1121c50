package io.tessera.topo;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Opens a {@link TopoConn} from an address string, choosing the backend by the address's scheme. */
public final class TopoConnFactory {
    private final Map<String, TopoConnProvider> providers;

    public TopoConnFactory(Iterable<TopoConnProvider> providers) {
        Map<String, TopoConnProvider> byScheme = new TreeMap<>();
        for (TopoConnProvider p : providers) {
            byScheme.put(p.scheme(), p);
        }
        this.providers = Map.copyOf(byScheme);
    }

    /** A factory with every backend registered on the class path. */
    public static TopoConnFactory fromClassPath() {
        return new TopoConnFactory(ServiceLoader.load(TopoConnProvider.class));
    }

    /**
     * Opens a connection to {@code address} ({@code etcd://h:2379/root}, {@code grpc://h:15990}, {@code memory://}).
     *
     * @throws TopoException {@code INVALID_ARGUMENT} for a malformed address or a scheme with no backend on the
     *     class path; {@code UNAVAILABLE} if the backend cannot be reached
     */
    public TopoConn open(String address) throws TopoException {
        TopoAddress parsed = TopoAddress.parse(address);
        TopoConnProvider provider = providers.get(parsed.scheme());
        if (provider == null) {
            throw new TopoException(TopoException.Code.INVALID_ARGUMENT, "",
                    "no topology backend for scheme '" + parsed.scheme() + "' (available: "
                            + String.join(", ", providers.keySet()) + ")");
        }
        return provider.open(parsed);
    }

    /** The schemes this factory can open. */
    public java.util.Set<String> schemes() {
        return providers.keySet();
    }
}
