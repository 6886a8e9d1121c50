package io.tessera.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {
    @Test
    void portsAreDistinctBindableAndBelowTheEphemeralRange() throws Exception {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int port = FreePorts.next();
            assertThat(seen.add(port)).as("port %d handed out twice", port).isTrue();
            assertThat(port).isBetween(FreePorts.LOW, Math.min(FreePorts.HIGH, FreePorts.ephemeralLow()) - 1);
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertThat(s.getLocalPort()).isEqualTo(port);
            }
        }
    }

    @Test
    void aListeningPortIsNeverHandedOut() throws Exception {
        int taken = FreePorts.next();
        try (ServerSocket s = new ServerSocket(taken, 1, InetAddress.getLoopbackAddress())) {
            assertThat(FreePorts.isListening(taken)).isTrue();
            for (int i = 0; i < FreePorts.HIGH - FreePorts.LOW; i++) {
                assertThat(FreePorts.next()).isNotEqualTo(taken);
            }
        }
        assertThat(FreePorts.isListening(taken)).isFalse();
    }
}
