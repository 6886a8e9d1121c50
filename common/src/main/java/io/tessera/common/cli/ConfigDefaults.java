package io.tessera.common.cli;

import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Supplies a config file's values to picocli as the defaults of the flags the command line leaves out. */
final class ConfigDefaults implements IDefaultValueProvider {
    private final ConfigFile file;

    ConfigDefaults(ConfigFile file) {
        this.file = file;
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option)) {
            return null;
        }
        for (String name : option.names()) {
            var value = file.value(name);
            if (value.isPresent()) {
                return value.get();
            }
        }
        return null;
    }
}
