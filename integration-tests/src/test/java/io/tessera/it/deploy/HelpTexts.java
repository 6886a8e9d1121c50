package io.tessera.it.deploy;

import io.tessera.common.cli.CommandRunner;
import io.tessera.common.cli.ExitCodes;
import io.tessera.ctl.ChannelFactory;
import io.tessera.ctl.Ctl;
import io.tessera.ctl.command.CommandRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/**
 * What the programs print for help, produced in-process exactly as {@code bin/tessera-<daemon> --help} and
 * {@code bin/tessera-ctl help} print it, with trailing blanks removed from every line as the README generator does.
 */
final class HelpTexts {
    private HelpTexts() {}

    /** {@code <daemon> --help}. */
    static List<String> daemon(Daemon daemon) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandRunner(new PrintWriter(out, true), new PrintWriter(err, true))
                .run(daemon.newMain(), "--help");
        return checked(daemon.program() + " --help", code, out, err);
    }

    /** {@code tessera-ctl help}: the command list. Nothing is dialled. */
    static List<String> ctl() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new Ctl(new PrintWriter(out, true), new PrintWriter(err, true), ChannelFactory.plaintext(),
                CommandRegistry.standard()).run("help");
        return checked("tessera-ctl help", code, out, err);
    }

    private static List<String> checked(String what, int code, StringWriter out, StringWriter err) {
        if (code != ExitCodes.OK || !err.toString().isEmpty()) {
            throw new IllegalStateException(what + " exited " + code + ": " + err);
        }
        return out.toString().lines().map(String::stripTrailing).toList();
    }
}
