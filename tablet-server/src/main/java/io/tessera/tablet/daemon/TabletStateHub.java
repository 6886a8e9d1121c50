package io.tessera.tablet.daemon;

import io.tessera.proto.query.Target;
import io.tessera.proto.topodata.TabletType;
import io.tessera.tablet.health.TabletState;
import io.tessera.tablet.health.TabletStateSource;
import io.tessera.tablet.manager.ServingState;
import io.tessera.tablet.manager.TabletStateListener;
import io.tessera.tablet.queryservice.TabletServingState;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The one place a tablet's intended state lives. The tablet manager decides it (type, serving, denied tables) and
 * tells this hub; the query service and the health check read it from here, each in its own shape, on every
 * request or check without blocking.
 */
final class TabletStateHub implements TabletStateListener, TabletServingState {
    private final List<BiConsumer<TabletType, TabletType>> typeChangeHooks = new CopyOnWriteArrayList<>();
    private final List<Consumer<String>> stopServingHooks = new CopyOnWriteArrayList<>();
    private volatile ServingState managerState;
    private volatile io.tessera.tablet.queryservice.ServingState queryState;
    private volatile TabletState healthState;
    private volatile boolean mysqldReachable = true;

    TabletStateHub(ServingState initial) {
        publish(initial);
    }

    /** Runs {@code hook(oldType, newType)} after every change of the tablet's type, on the changing thread. */
    void onTypeChange(BiConsumer<TabletType, TabletType> hook) {
        typeChangeHooks.add(hook);
    }

    /**
     * Runs {@code hook(reason)} whenever the tablet stops serving its type: its type changes, or it goes from serving
     * to not serving. It runs on the changing thread, after the new state is published, so requests that arrive
     * meanwhile are refused already.
     */
    void onStopServing(Consumer<String> hook) {
        stopServingHooks.add(hook);
    }

    @Override
    public void stateChanged(ServingState state) {
        ServingState before;
        synchronized (this) {
            before = managerState;
            publish(state);
        }
        if (before.type() != state.type()) {
            for (BiConsumer<TabletType, TabletType> hook : typeChangeHooks) {
                hook.accept(before.type(), state.type());
            }
        }
        String stopped = before.type() != state.type()
                ? "the tablet changed from " + before.type() + " to " + state.type()
                : before.serving() && !state.serving() ? "the tablet stopped serving: " + state.reason() : null;
        if (stopped != null) {
            for (Consumer<String> hook : stopServingHooks) {
                hook.accept(stopped);
            }
        }
    }

    /**
     * Records whether the last health probe reached mysqld, so the query service refuses at once with
     * MYSQLD_DOWN instead of letting each request wait out its pool timeout.
     */
    synchronized void mysqldReachable(boolean reachable) {
        if (reachable != mysqldReachable) {
            mysqldReachable = reachable;
            publish(managerState);
        }
    }

    /** The manager's latest decision, for the status page. */
    ServingState managerState() {
        return managerState;
    }

    @Override
    public io.tessera.tablet.queryservice.ServingState current() {
        return queryState;
    }

    /** The health check's view. */
    TabletStateSource healthSource() {
        return () -> healthState;
    }

    /** Derives both views from the manager's state; callers hold this hub's lock (or construct it). */
    private void publish(ServingState s) {
        String keyspace = s.tablet().getKeyspace();
        String shard = s.tablet().getShard();
        Set<String> denied = Set.copyOf(s.deniedTables());
        // A reason that is not empty while serving would be shown nowhere; the query service ignores it.
        queryState = new io.tessera.tablet.queryservice.ServingState(keyspace, shard, s.type(), s.serving(),
                s.serving() ? "" : s.reason(), s.queryServiceDisabled(), mysqldReachable,
                denied.isEmpty() ? Map.of() : Map.of(s.type(), denied));
        Target target = Target.newBuilder().setKeyspace(keyspace).setShard(shard).setTabletType(s.type())
                .setCell(s.tablet().getAlias().getCell()).build();
        healthState = new TabletState(target, s.serving(), s.primaryTermStart());
        managerState = s;
    }
}
