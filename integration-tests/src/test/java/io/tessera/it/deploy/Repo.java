package io.tessera.it.deploy;

import java.nio.file.Path;

/** Where the checkout is. */
final class Repo {
    private Repo() {}

    /** The checkout's root ({@code tessera.home}, set by the build). */
    static Path home() {
        String home = System.getProperty("tessera.home");
        if (home == null) {
            throw new IllegalStateException("tessera.home is not set: run the integration tests through Maven");
        }
        return Path.of(home).toAbsolutePath().normalize();
    }
}
