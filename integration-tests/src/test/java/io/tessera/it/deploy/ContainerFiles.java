package io.tessera.it.deploy;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The files a container sees through its mounts (bind mounts of the compose file, ConfigMaps and Secrets of the
 * Kubernetes manifests), by absolute path inside the container. Files the deployment files do not provide (the
 * image's own, a data volume's) are not here.
 *
 * @param byPath file contents by container path
 */
record ContainerFiles(Map<String, String> byPath) {

    ContainerFiles {
        byPath = Map.copyOf(byPath);
    }

    static ContainerFiles none() {
        return new ContainerFiles(Map.of());
    }

    Optional<String> read(String path) {
        return Optional.ofNullable(byPath.get(path));
    }

    /** The shell scripts among the files, by path, in path order. */
    Map<String, String> scripts() {
        Map<String, String> scripts = new TreeMap<>();
        byPath.forEach((path, text) -> {
            if (path.endsWith(".sh")) {
                scripts.put(path, text);
            }
        });
        return scripts;
    }
}
