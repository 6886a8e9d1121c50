package io.tessera.ctld.command;

import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.vtrpc.Code;
import io.tessera.tabletmanager.TabletManagerClient;
import io.tessera.tabletmanager.TabletManagerDialer;
import io.tessera.tabletmanager.TabletManagerException;
import io.tessera.topo.topoproto.TabletAliases;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

/**
 * A {@link TabletManagerDialer} whose clients answer from per-method handlers and record every call as
 * {@code "<alias> <method>"} (with the request). Unhandled methods fail with UNIMPLEMENTED.
 */
public final class FakeTablets implements TabletManagerDialer {
    /** One recorded call. */
    public record Call(String alias, String method, Object request) {}

    private final Map<String, BiFunction<Tablet, Object, Object>> handlers = new ConcurrentHashMap<>();
    public final List<Call> calls = new CopyOnWriteArrayList<>();

    /** Answers {@code method} (a {@link TabletManagerClient} method name) with {@code handler(tablet, request)}. */
    public FakeTablets on(String method, BiFunction<Tablet, Object, Object> handler) {
        handlers.put(method, handler);
        return this;
    }

    public List<String> callNames() {
        return calls.stream().map(c -> c.alias() + " " + c.method()).toList();
    }

    @Override
    public TabletManagerClient dial(Tablet tablet) {
        return (TabletManagerClient) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {TabletManagerClient.class}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return switch (method.getName()) {
                            case "toString" -> "fake " + TabletAliases.format(tablet.getAlias());
                            case "hashCode" -> System.identityHashCode(proxy);
                            default -> proxy == args[0];
                        };
                    }
                    calls.add(new Call(TabletAliases.format(tablet.getAlias()), method.getName(), args[0]));
                    BiFunction<Tablet, Object, Object> h = handlers.get(method.getName());
                    if (h != null) {
                        return h.apply(tablet, args[0]);
                    }
                    // an unhandled call answers the response's default instance
                    try {
                        return method.getReturnType().getMethod("getDefaultInstance").invoke(null);
                    } catch (InvocationTargetException | NoSuchMethodException e) {
                        throw new TabletManagerException(Code.UNIMPLEMENTED, method.getName() + " not faked");
                    }
                });
    }
}
