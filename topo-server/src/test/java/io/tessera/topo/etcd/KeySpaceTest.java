package io.tessera.topo.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeySpaceTest {

    @Test
    void rootIsNormalisedToALeadingSlashAndNoTrailingOne() {
        assertThat(new KeySpace("tessera/global/").root()).isEqualTo("/tessera/global");
        assertThat(new KeySpace("/").root()).isEmpty();
    }

    @Test
    void filesDirectoriesAndLockNodesLiveBelowTheRoot() {
        KeySpace keys = new KeySpace("/t");

        assertThat(keys.fileKey("keyspaces/ks/Keyspace")).isEqualTo("/t/keyspaces/ks/Keyspace");
        assertThat(keys.dirPrefix("")).isEqualTo("/t/");
        assertThat(keys.dirPrefix("keyspaces/ks")).isEqualTo("/t/keyspaces/ks/");
        assertThat(keys.locksPrefix("keyspaces/ks")).isEqualTo("/t/keyspaces/ks/locks/");
        assertThat(keys.locksPrefix("")).isEqualTo("/t/locks/");
    }
}
