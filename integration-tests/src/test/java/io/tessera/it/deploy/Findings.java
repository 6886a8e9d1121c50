package io.tessera.it.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What checking one deployment (the compose file, or the Kubernetes manifests) found: its problems, and what it
 * runs, for the checks every deployment shares (see {@link ExampleCluster}).
 */
final class Findings {
    final List<String> problems = new ArrayList<>();
    final List<DaemonCommandLine> daemons = new ArrayList<>();
    final List<CtlCommandLine> ctlCommands = new ArrayList<>();
    final List<TabletDecl> tablets = new ArrayList<>();

    /**
     * Checks a command line against its program's flags and records it.
     *
     * @return the daemon command line, if it runs a daemon rather than {@code tessera-ctl}
     */
    Optional<DaemonCommandLine> add(Invocation invocation, Path scratch) {
        if (invocation.program().equals("tessera-ctl")) {
            CtlCommandLine ctl = CtlCommandLine.check(invocation, scratch);
            ctlCommands.add(ctl);
            problems.addAll(ctl.problems());
            return Optional.empty();
        }
        Daemon daemon = Daemon.byProgram(invocation.program()).orElseThrow();
        DaemonCommandLine line = DaemonCommandLine.check(invocation, daemon);
        daemons.add(line);
        problems.addAll(line.problems());
        return Optional.of(line);
    }

    /** The command lines that run {@code daemon}. */
    List<DaemonCommandLine> runs(Daemon daemon) {
        return daemons.stream().filter(d -> d.daemon() == daemon).toList();
    }
}
