package io.tessera.common.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A daemon's optional config file: {@code key=value} lines in Java properties format whose keys are flag names
 * in either spelling ({@code data_dir}, {@code data-dir}, {@code --data-dir}). Values it gives are defaults:
 * a flag on the command line wins.
 *
 * @param path where the file was read from
 * @param values the values by canonical flag name (see {@link FlagSyntax#canonical})
 */
public record ConfigFile(Path path, Map<String, String> values) {

    public ConfigFile {
        values = Map.copyOf(values);
    }

    /**
     * Reads a config file.
     *
     * @throws IOException if the file cannot be read, or names the same flag twice in different spellings
     */
    public static ConfigFile load(Path path) throws IOException {
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            props.load(r);
        }
        Map<String, String> values = new TreeMap<>();
        for (String key : props.stringPropertyNames()) {
            String name = FlagSyntax.canonical(key);
            String value = props.getProperty(key).strip();
            if (values.put(name, value) != null) {
                throw new IOException(path + ": flag '" + name + "' is set more than once");
            }
        }
        return new ConfigFile(path, values);
    }

    /** The value for a flag, by any spelling of its name. */
    public Optional<String> value(String flagName) {
        return Optional.ofNullable(values.get(FlagSyntax.canonical(flagName)));
    }
}
