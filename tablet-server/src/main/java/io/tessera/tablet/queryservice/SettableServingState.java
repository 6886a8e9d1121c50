package io.tessera.tablet.queryservice;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/** A {@link TabletServingState} that its owner sets; thread-safe. */
public final class SettableServingState implements TabletServingState {
    private final AtomicReference<ServingState> state;

    public SettableServingState(ServingState initial) {
        this.state = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
    }

    @Override
    public ServingState current() {
        return state.get();
    }

    /** Replaces the state. */
    public void set(ServingState value) {
        state.set(Objects.requireNonNull(value, "value"));
    }

    /** Changes the state atomically with respect to other updates, and returns the new state. */
    public ServingState update(UnaryOperator<ServingState> change) {
        return state.updateAndGet(s -> Objects.requireNonNull(change.apply(s), "new state"));
    }
}
