package io.tessera.tablet.mysqlctl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The operating-system account this JVM runs as. mysqld needs {@code user=root} when started by root, and the
 * account that {@code mariadb-install-db} lets in over the unix socket is this one.
 *
 * @param name the account name
 * @param root whether the account is root (uid 0)
 */
record OsUser(String name, boolean root) {
    static OsUser current() {
        String name = System.getProperty("user.name");
        boolean root;
        try {
            // /proc/self belongs to the effective uid of this process.
            root = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            root = "root".equals(name);
        }
        return new OsUser(root ? "root" : name, root);
    }
}
