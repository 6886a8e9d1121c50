package io.tessera.common.cli;

/**
 * Process exit codes shared by every Tessera daemon and the command line, so scripts can tell success from
 * failure the same way everywhere.
 */
public final class ExitCodes {
    private ExitCodes() {}

    /** The command did its job, or {@code --help} printed the flags. */
    public static final int OK = 0;

    /**
     * The command failed: a bad flag or config file (the message and usage go to stderr), or a daemon that could
     * not start or stopped on an error (the reason goes to stderr).
     */
    public static final int FAILURE = 1;
}
