package io.tessera.topo.embedded;

import io.tessera.topo.TopoException;
import java.nio.file.Path;

/** Run in a separate JVM by tests: tries to open the data dir given as argument and prints what happened. */
public final class OpenProbe {
    private OpenProbe() {}

    public static void main(String[] args) {
        try (EmbeddedTopoStore store = EmbeddedTopoStore.open(Path.of(args[0]))) {
            System.out.println("OPENED");
        } catch (TopoException e) {
            System.out.println(e.code() + " " + e.getMessage());
        }
    }
}
