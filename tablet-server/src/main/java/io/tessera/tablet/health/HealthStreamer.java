package io.tessera.tablet.health;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.tessera.proto.query.StreamHealthRequest;
import io.tessera.proto.query.StreamHealthResponse;
import io.tessera.proto.topodata.TabletAlias;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The tablet's StreamHealth feed: holds the latest {@link StreamHealthResponse} and pushes it to every subscriber
 * (the gates) when it changes, when {@link #broadcastLatest()} asks (the periodic push, driven by
 * {@link HealthMonitor}), and with the names of tables whose schema changed.
 *
 * <p>A new subscriber gets the latest state at once. Each subscriber holds at most one unsent message: a slow one
 * gets the newest state when it catches up, never an unbounded queue (see {@link HealthSubscriber}). Schema
 * change names are not lost by this: a state that replaces an unsent announcement carries its names along.
 *
 * <p>As in Vitess, {@code table_schema_changed} and {@code view_schema_changed} are set only on the message that
 * announces the change; later messages carry them empty again. Thread-safe.
 */
public final class HealthStreamer implements AutoCloseable {
    private final TabletAlias alias;
    private final Object lock = new Object();
    private final Set<HealthSubscriber> subscribers = new LinkedHashSet<>(); // guarded by lock
    private StreamHealthResponse latest; // guarded by lock
    private boolean closed; // guarded by lock

    /**
     * @param alias the tablet's alias, sent in every message
     * @param initial the state to report before the first health check, usually
     *     {@link HealthReport#notYetChecked}
     */
    public HealthStreamer(TabletAlias alias, HealthReport initial) {
        this.alias = Objects.requireNonNull(alias, "alias");
        this.latest = HealthResponses.of(alias, Objects.requireNonNull(initial, "initial"));
    }

    /** The latest state, without schema change names. */
    public StreamHealthResponse latest() {
        synchronized (lock) {
            return latest;
        }
    }

    /**
     * Makes {@code report} the latest state and pushes it to every subscriber if it differs from the previous
     * state (a lag counts as changed when its whole seconds change).
     *
     * @return true if the state changed and was pushed
     */
    public boolean publish(HealthReport report) {
        StreamHealthResponse response = HealthResponses.of(alias, Objects.requireNonNull(report, "report"));
        synchronized (lock) {
            if (closed || response.equals(latest)) {
                return false;
            }
            latest = response;
            broadcast(response);
            return true;
        }
    }

    /** Pushes the latest state to every subscriber again, changed or not. */
    public void broadcastLatest() {
        synchronized (lock) {
            if (!closed) {
                broadcast(latest);
            }
        }
    }

    /**
     * Pushes the latest state with {@code table_schema_changed} and {@code view_schema_changed} set to the given
     * names, so that gates re-read those definitions. Does nothing when both are empty.
     */
    public void announceSchemaChange(Collection<String> tables, Collection<String> views) {
        if (tables.isEmpty() && views.isEmpty()) {
            return;
        }
        synchronized (lock) {
            if (!closed) {
                broadcast(HealthResponses.withSchemaChanges(latest, tables, views));
            }
        }
    }

    /**
     * The server side of the {@code Query.StreamHealth} RPC: the Query service's gRPC adapter calls this from its
     * {@code streamHealth} method. The stream gets the latest state at once, then every change and periodic push,
     * and never ends on its own; it ends when the client cancels, or with UNAVAILABLE when the streamer closes.
     */
    public void streamHealth(StreamHealthRequest request, StreamObserver<StreamHealthResponse> responseObserver) {
        subscribe(responseObserver);
    }

    /**
     * Subscribes {@code observer}: it gets the latest state at once, then every push. When the observer is a gRPC
     * server call, this must run inside the call's method handler (gRPC lets handlers be set only there): the
     * call's flow control paces the messages, and a client cancel unsubscribes.
     *
     * @return the registration; closing it completes the stream
     */
    public HealthSubscription subscribe(StreamObserver<StreamHealthResponse> observer) {
        HealthSubscriber subscriber = new HealthSubscriber(Objects.requireNonNull(observer, "observer"));
        ServerCallStreamObserver<StreamHealthResponse> call = subscriber.flowControl();
        if (call != null) {
            call.setOnReadyHandler(subscriber::drain);
            call.setOnCancelHandler(() -> {
                subscriber.cancelled();
                remove(subscriber);
            });
        }
        synchronized (lock) {
            if (closed) {
                subscriber.fail(Status.UNAVAILABLE.withDescription("the tablet is shutting down"));
                return () -> {};
            }
            subscribers.removeIf(HealthSubscriber::isDone);
            subscribers.add(subscriber);
            subscriber.offer(latest);
        }
        return () -> {
            remove(subscriber);
            subscriber.complete();
        };
    }

    /** How many streams are open, for status pages and tests. */
    public int subscriberCount() {
        synchronized (lock) {
            subscribers.removeIf(HealthSubscriber::isDone);
            return subscribers.size();
        }
    }

    /** Ends every stream with UNAVAILABLE (clients reconnect elsewhere or later) and refuses new ones. */
    @Override
    public void close() {
        List<HealthSubscriber> ending;
        synchronized (lock) {
            closed = true;
            ending = new ArrayList<>(subscribers);
            subscribers.clear();
        }
        for (HealthSubscriber subscriber : ending) {
            subscriber.fail(Status.UNAVAILABLE.withDescription("the tablet is shutting down"));
        }
    }

    private void remove(HealthSubscriber subscriber) {
        synchronized (lock) {
            subscribers.remove(subscriber);
        }
    }

    /** Caller holds the lock, which keeps every subscriber's messages in the order the states were published. */
    private void broadcast(StreamHealthResponse response) {
        subscribers.removeIf(HealthSubscriber::isDone);
        for (HealthSubscriber subscriber : subscribers) {
            subscriber.offer(response);
        }
    }
}
