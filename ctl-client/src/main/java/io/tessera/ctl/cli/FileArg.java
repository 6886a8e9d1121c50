package io.tessera.ctl.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Text given either inline ({@code --sql "..."}) or as a file ({@code --sql-file f}); exactly one. */
public final class FileArg {
    private FileArg() {}

    /**
     * The text of {@code inlineFlag} or the contents of the file named by {@code fileFlag}.
     *
     * @throws UsageException if neither or both are given, or the file cannot be read
     */
    public static String read(ParsedArgs a, String inlineFlag, String fileFlag) throws UsageException {
        Optional<String> inline = a.string(inlineFlag);
        Optional<String> file = a.string(fileFlag);
        if (inline.isPresent() == file.isPresent()) {
            throw new UsageException(a.command() + " needs exactly one of --" + inlineFlag + " and --" + fileFlag);
        }
        if (inline.isPresent()) {
            return inline.get();
        }
        try {
            return Files.readString(Path.of(file.get()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException("cannot read --" + fileFlag + " " + file.get() + ": " + e);
        }
    }
}
