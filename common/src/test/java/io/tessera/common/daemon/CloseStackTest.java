package io.tessera.common.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CloseStackTest {
    @Test
    void closesNewestFirstOnceAndKeepsGoingPastFailures() {
        List<String> closed = new ArrayList<>();
        CloseStack stack = new CloseStack("test-daemon");
        stack.push(() -> closed.add("topology"));
        stack.push(() -> {
            closed.add("broken");
            throw new IllegalStateException("cannot stop");
        });
        assertThat(stack.push((AutoCloseable) () -> closed.add("server"))).isNotNull();
        stack.close();
        stack.close();
        assertThat(closed).containsExactly("server", "broken", "topology");
        assertThatThrownBy(() -> stack.push(() -> { })).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("test-daemon is stopping");
    }
}
