package io.tessera.ctl;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.tessera.common.cli.ExitCodes;
import io.tessera.common.cli.FlagSyntax;
import io.tessera.common.cli.GoDuration;
import io.tessera.common.errors.GrpcErrors;
import io.tessera.ctl.cli.ArgParser;
import io.tessera.ctl.cli.UsageException;
import io.tessera.ctl.command.Call;
import io.tessera.ctl.command.CommandRegistry;
import io.tessera.ctl.command.CommandSpec;
import io.tessera.ctl.command.Group;
import io.tessera.proto.vtctlservice.VtctldGrpc;
import io.tessera.proto.vtctlservice.VtctldGrpc.VtctldBlockingStub;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The {@code tessera-ctl} command line: {@code tessera-ctl [--server host:port] [--action_timeout d] Command
 * [flags] args}. It reads the global flags, finds the command, turns its arguments into a typed request, sends it
 * to {@code tessera-ctld} over gRPC and prints the answer.
 *
 * <p>Every failure is one line on stderr starting with {@code tessera-ctl:} and exit code {@link ExitCodes#FAILURE}:
 * a usage error (unknown command or flag, malformed alias or keyspace/shard, missing argument), a daemon that
 * cannot be reached, or the daemon's error message for a failed command.
 */
public final class Ctl {
    /** Where tessera-ctld listens by default (Vitess's vtctld gRPC port). */
    public static final String DEFAULT_SERVER = "localhost:15999";
    /** How long a command may run by default, as vtctlclient's --action_timeout. */
    public static final Duration DEFAULT_ACTION_TIMEOUT = Duration.ofHours(1);

    private final PrintWriter out;
    private final PrintWriter err;
    private final ChannelFactory channels;
    private final CommandRegistry registry;

    public Ctl(PrintWriter out, PrintWriter err, ChannelFactory channels, CommandRegistry registry) {
        this.out = out;
        this.err = err;
        this.channels = channels;
        this.registry = registry;
    }

    /** Runs one command line and returns the exit code. */
    public int run(String... args) {
        try {
            return dispatch(List.of(args));
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int dispatch(List<String> args) {
        int i = 0;
        String server = DEFAULT_SERVER;
        Duration timeout = DEFAULT_ACTION_TIMEOUT;
        boolean help = false;
        while (i < args.size() && ArgParser.isFlag(args.get(i)) && !args.get(i).equals("--")) {
            String arg = args.get(i++);
            int eq = arg.indexOf('=');
            String name = FlagSyntax.canonical(eq < 0 ? arg : arg.substring(0, eq));
            switch (name) {
                case "help", "h" -> help = true;
                case "server", "action-timeout" -> {
                    String value;
                    if (eq >= 0) {
                        value = arg.substring(eq + 1);
                    } else if (i < args.size()) {
                        value = args.get(i++);
                    } else {
                        return fail("flag " + arg + " needs a value");
                    }
                    if (name.equals("server")) {
                        server = value;
                    } else {
                        try {
                            timeout = GoDuration.parse(value);
                        } catch (IllegalArgumentException e) {
                            return fail("invalid --action_timeout: " + e.getMessage());
                        }
                    }
                }
                default -> {
                    return fail("unknown global flag " + (eq < 0 ? arg : arg.substring(0, eq))
                            + "; global flags are --server, --action_timeout and --help");
                }
            }
        }
        if (i < args.size() && args.get(i).equals("--")) {
            i++;
        }
        if (help || i == args.size()) {
            if (i < args.size()) {
                return help(args.get(i));
            }
            (help ? out : err).print(overview());
            return help ? ExitCodes.OK : ExitCodes.FAILURE;
        }
        String name = args.get(i);
        List<String> rest = args.subList(i + 1, args.size());
        if (name.equals("help")) {
            if (rest.isEmpty()) {
                out.print(overview());
                return ExitCodes.OK;
            }
            return help(rest.getFirst());
        }
        Optional<CommandSpec> command = registry.find(name);
        if (command.isEmpty()) {
            return fail("unknown command \"" + name + "\"; run 'tessera-ctl help' for the list");
        }
        CommandSpec spec = command.get();
        if (ArgParser.wantsHelp(rest)) {
            out.print(spec.help());
            return ExitCodes.OK;
        }
        Call<?, ?> call;
        try {
            call = spec.parse(rest);
        } catch (UsageException e) {
            return fail(e.getMessage() + "; run 'tessera-ctl help " + spec.name() + "' for usage");
        }
        return execute(spec, call, server, timeout);
    }

    private int execute(CommandSpec spec, Call<?, ?> call, String server, Duration timeout) {
        ManagedChannel channel;
        try {
            channel = channels.open(server);
        } catch (RuntimeException e) {
            return fail("cannot reach tessera-ctld at " + server + ": " + e.getMessage());
        }
        try {
            VtctldBlockingStub stub = VtctldGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS);
            call.execute(stub, out);
            out.flush();
            return ExitCodes.OK;
        } catch (StatusRuntimeException e) {
            out.flush();
            return fail(rpcFailure(spec, server, timeout, e));
        } catch (IOException | UncheckedIOException e) {
            out.flush();
            return fail(spec.name() + ": " + e.getMessage());
        } finally {
            channel.shutdownNow();
            try {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The one line for a failed RPC. An error from the daemon carries its message (and code) in the
     * {@value GrpcErrors#TRAILER_NAME} trailer; a call that never reached it has none.
     */
    static String rpcFailure(CommandSpec spec, String server, Duration timeout, StatusRuntimeException e) {
        boolean fromDaemon = e.getTrailers() != null && e.getTrailers().containsKey(GrpcErrors.TRAILER_KEY);
        Status status = e.getStatus();
        if (!fromDaemon && status.getCode() == Status.Code.UNAVAILABLE) {
            return "cannot reach tessera-ctld at " + server + ": " + describe(status);
        }
        if (!fromDaemon && status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
            return spec.name() + ": no answer from tessera-ctld at " + server + " within --action_timeout "
                    + timeout + " (" + describe(status) + ")";
        }
        var error = GrpcErrors.fromStatus(e);
        return spec.name() + " failed: " + error.getMessage() + " (" + error.code() + ")";
    }

    private static String describe(Status status) {
        if (status.getDescription() != null) {
            return status.getDescription()
                    + (status.getCause() != null ? ": " + status.getCause().getMessage() : "");
        }
        return status.getCause() != null ? String.valueOf(status.getCause()) : status.getCode().toString();
    }

    private int help(String name) {
        Optional<CommandSpec> command = registry.find(name);
        if (command.isEmpty()) {
            return fail("unknown command \"" + name + "\"; run 'tessera-ctl help' for the list");
        }
        out.print(command.get().help());
        return ExitCodes.OK;
    }

    private int fail(String message) {
        err.println("tessera-ctl: " + oneLine(message));
        return ExitCodes.FAILURE;
    }

    static String oneLine(String message) {
        return String.valueOf(message).strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** {@code tessera-ctl help}: the syntax, the global flags and every command by group. */
    public String overview() {
        StringBuilder b = new StringBuilder();
        b.append("Usage: tessera-ctl [global flags] <command> [flags] [args]\n\n");
        b.append("The operator command line of Tessera: each command is one RPC to tessera-ctld.\n");
        b.append("Flags take one or two dashes, and _ or - inside names (vtctlclient and vtctldclient syntax).\n\n");
        b.append("Global flags (before the command):\n");
        b.append("  --server <host:port>         tessera-ctld's gRPC address (default " + DEFAULT_SERVER + ")\n");
        b.append("  --action_timeout <duration>  How long the command may run (default 1h)\n");
        b.append("  --help                       Print this help\n");
        int width = registry.commands().stream().mapToInt(c -> c.name().length()).max().orElse(0) + 2;
        for (Group g : Group.values()) {
            List<CommandSpec> in = registry.commands().stream().filter(c -> c.group() == g).toList();
            if (in.isEmpty()) {
                continue;
            }
            b.append('\n').append(g.title()).append(":\n");
            for (CommandSpec c : in) {
                b.append("  ").append(c.name()).append(" ".repeat(width - c.name().length())).append(c.summary());
                if (!c.aliases().isEmpty()) {
                    b.append(" (old name: ").append(String.join(", ", c.aliases())).append(')');
                }
                b.append('\n');
            }
        }
        b.append("\nRun 'tessera-ctl help <command>' or 'tessera-ctl <command> --help' for its flags.\n");
        return b.toString();
    }
}
