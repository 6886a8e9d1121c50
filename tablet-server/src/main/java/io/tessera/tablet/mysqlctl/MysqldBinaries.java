package io.tessera.tablet.mysqlctl;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * The programs managed mode runs: the server and the tool that initialises a datadir.
 *
 * @param mysqld the server binary
 * @param installDb {@code mariadb-install-db} (or {@code mysql_install_db})
 * @param basedir the installation directory the server belongs to (the parent of its bin or sbin directory)
 */
record MysqldBinaries(Path mysqld, Path installDb, Path basedir) {
    static final List<String> SERVER_NAMES = List.of("mariadbd", "mysqld");
    static final List<String> INSTALL_DB_NAMES = List.of("mariadb-install-db", "mysql_install_db");

    /** Where servers live when they are not on PATH (Debian puts mariadbd in /usr/sbin). */
    static final List<Path> FALLBACK_DIRS = List.of(Path.of("/usr/sbin"), Path.of("/usr/local/sbin"),
            Path.of("/usr/local/mysql/bin"));

    /** The directories to search: PATH, then the usual sbin directories. */
    static List<Path> defaultSearchPath() {
        LinkedHashSet<Path> dirs = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    dirs.add(Path.of(entry));
                }
            }
        }
        dirs.addAll(FALLBACK_DIRS);
        return List.copyOf(dirs);
    }

    /**
     * Finds the binaries.
     *
     * @param configured the {@code --mysqld-path}, if given; then it must exist
     * @param searchPath directories searched for the server (when not configured) and for the install tool
     * @throws MysqldException naming what was looked for and where
     */
    static MysqldBinaries locate(Optional<Path> configured, List<Path> searchPath) {
        Path mysqld;
        if (configured.isPresent()) {
            mysqld = configured.get().toAbsolutePath();
            if (!Files.isRegularFile(mysqld)) {
                throw new MysqldException("mysqld binary " + mysqld + " (from --mysqld-path) does not exist;"
                        + " install mariadb-server or point --mysqld-path at mariadbd");
            }
            if (!Files.isExecutable(mysqld)) {
                throw new MysqldException("mysqld binary " + mysqld + " (from --mysqld-path) is not executable");
            }
        } else {
            mysqld = find(SERVER_NAMES, searchPath).orElseThrow(() -> new MysqldException(
                    "no mysqld binary found: looked for " + SERVER_NAMES + " in " + searchPath
                            + "; install mariadb-server or pass --mysqld-path"));
        }
        Path binDir = mysqld.getParent();
        Path basedir = binDir.getParent() != null ? binDir.getParent() : binDir;
        List<Path> installDirs = new ArrayList<>();
        installDirs.add(binDir);
        installDirs.add(basedir.resolve("bin"));
        installDirs.add(basedir.resolve("scripts"));
        installDirs.addAll(searchPath);
        Path installDb = find(INSTALL_DB_NAMES, installDirs).orElseThrow(() -> new MysqldException(
                "found " + mysqld + " but no " + INSTALL_DB_NAMES + " to initialise a datadir: looked in "
                        + installDirs + "; managed mode needs MariaDB's mariadb-install-db"));
        return new MysqldBinaries(mysqld, installDb, basedir);
    }

    private static Optional<Path> find(List<String> names, List<Path> dirs) {
        for (Path dir : dirs) {
            for (String name : names) {
                Path candidate = dir.resolve(name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate.toAbsolutePath());
                }
            }
        }
        return Optional.empty();
    }
}
