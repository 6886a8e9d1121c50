package io.tessera.common.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EventLoopsTest {
    @Test
    void halfTheProcessorsByDefaultAndTheCountAskedFor() {
        int expected = Integer.getInteger("io.netty.eventLoopThreads",
                Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
        assertThat(EventLoops.defaultThreads()).isEqualTo(expected).isPositive();
        try (EventLoops byDefault = EventLoops.start(0, "default-test");
                EventLoops three = EventLoops.start(3, "three-test")) {
            assertThat(byDefault.loops()).hasSize(expected);
            assertThat(three.loops()).hasSize(3);
        }
    }

    @Test
    void loopsRunAtTheHighestJavaPriority() throws Exception {
        try (EventLoops loops = EventLoops.start(2, "priority-test")) {
            for (var loop : loops.loops()) {
                assertThat(loop.submit(() -> Thread.currentThread().getPriority()).get())
                        .isEqualTo(Thread.MAX_PRIORITY);
            }
        }
    }
}
