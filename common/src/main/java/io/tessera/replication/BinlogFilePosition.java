package io.tessera.replication;

/**
 * A place in a binary log or relay log: a file name and a byte offset in it. Positions like this identify
 * events only on one server, so Tessera never replicates by them; they are reported for operators and for
 * replication without GTIDs.
 *
 * @param file the log file name, for example {@code binlog.000001}
 * @param offset the byte offset in that file
 */
public record BinlogFilePosition(String file, long offset) {
    public BinlogFilePosition {
        if (file == null || file.isBlank()) {
            throw new IllegalArgumentException("a binlog file position needs a file name");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("a binlog offset is not negative, got " + offset);
        }
    }

    /** Vitess's text form of a file position, {@code FilePos/<file>:<offset>}, used by the replication protos. */
    public String encode() {
        return "FilePos/" + file + ":" + offset;
    }

    @Override
    public String toString() {
        return file + ":" + offset;
    }
}
