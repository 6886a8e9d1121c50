package io.tessera.tablet.mysqlctl;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The directory of one managed mysqld, Vitess's layout: {@code <data root>/vt_<uid as 10 digits>/} holding
 * {@code my.cnf}, {@code data/}, {@code tmp/}, {@code bin-logs/}, {@code relay-logs/}, {@code mysql.sock},
 * {@code mysqld.pid}, {@code error.log} and {@code mysqld.out} (what mysqld prints outside its error log).
 *
 * @param path the tablet directory itself
 * @param tabletUid the tablet uid the directory belongs to
 */
public record TabletDir(Path path, long tabletUid) {
    public TabletDir {
        Objects.requireNonNull(path, "path");
    }

    /** The directory of tablet {@code tabletUid} under {@code dataRoot}. */
    public static TabletDir of(Path dataRoot, long tabletUid) {
        return new TabletDir(dataRoot.resolve(dirName(tabletUid)), tabletUid);
    }

    /** {@code vt_0000000100} for uid 100. */
    public static String dirName(long tabletUid) {
        return String.format("vt_%010d", tabletUid);
    }

    public Path myCnf() {
        return path.resolve("my.cnf");
    }

    public Path dataDir() {
        return path.resolve("data");
    }

    public Path tmpDir() {
        return path.resolve("tmp");
    }

    public Path binlogDir() {
        return path.resolve("bin-logs");
    }

    public Path relayLogDir() {
        return path.resolve("relay-logs");
    }

    /** The base name of the binary logs, for example {@code bin-logs/vt-0000000100-bin}. */
    public Path binlogBase() {
        return binlogDir().resolve(String.format("vt-%010d-bin", tabletUid));
    }

    /** The base name of the relay logs, for example {@code relay-logs/vt-0000000100-relay-bin}. */
    public Path relayLogBase() {
        return relayLogDir().resolve(String.format("vt-%010d-relay-bin", tabletUid));
    }

    public Path socket() {
        return path.resolve("mysql.sock");
    }

    public Path pidFile() {
        return path.resolve("mysqld.pid");
    }

    public Path errorLog() {
        return path.resolve("error.log");
    }

    /** Where mysqld's stdout and stderr go; normally nearly empty because mysqld writes to its error log. */
    public Path stdoutLog() {
        return path.resolve("mysqld.out");
    }

    /** Present once the first-start initialisation (users, databases) completed. */
    public Path initMarker() {
        return path.resolve("tessera-init.done");
    }
}
