package org.neurite.cli;

import org.neurite.models.run.ConfigKey;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Shows RunConfig's defaults in `neurite train --help`, so they are written down in one place. */
public final class TrainDefaults implements IDefaultValueProvider {
    @Override public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec o)) return null;
        ConfigKey k = ConfigKey.byName(o.longestName().replaceFirst("^--", ""));
        return k == null || k.defaultValue() == null ? null : String.valueOf(k.defaultValue());
    }
}
