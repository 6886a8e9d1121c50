package io.tessera.ctl.cli;

/**
 * A command line that cannot be turned into a request: an unknown flag, a missing argument, a malformed tablet
 * alias or keyspace/shard. The message is one line that says what was wrong; the caller adds where to get help.
 */
public final class UsageException extends Exception {
    public UsageException(String message) {
        super(message);
    }
}
