package io.tessera.topo.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.topo.DirEntry;
import java.util.List;
import org.junit.jupiter.api.Test;

class DirListingTest {

    @Test
    void immediateChildrenAreSortedByNameNotByKeyOrder() {
        // etcd returns keys in byte order: "a-b" before "a/x" because '-' sorts before '/'.
        List<DirEntry> entries = DirListing.children("/r/d/",
                List.of("/r/d/a-b", "/r/d/a/x", "/r/d/a/y/z", "/r/d/c"));

        assertThat(entries).containsExactly(
                new DirEntry("a", true), new DirEntry("a-b", false), new DirEntry("c", false));
    }

    @Test
    void aNameThatIsBothFileAndPrefixIsListedOnceAsDirectory() {
        List<DirEntry> entries = DirListing.children("/r/", List.of("/r/k", "/r/k/Keyspace"));

        assertThat(entries).containsExactly(new DirEntry("k", true));
    }

    @Test
    void keysOutsideThePrefixAreIgnored() {
        assertThat(DirListing.children("/r/d/", List.of("/r/d/", "/r/dx", "/r/d//odd"))).isEmpty();
    }
}
