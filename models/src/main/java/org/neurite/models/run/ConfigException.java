package org.neurite.models.run;

import org.neurite.models.data.InputDataException;

/**
 * A run setting that is unknown, of the wrong type or out of range; the message names the flag
 * or the file, line and key. The CLI exits with code 2.
 */
public class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** Control characters (a multi-line YAML value quoted in the message) are escaped: one line. */
    public ConfigException(String message) {
        super(InputDataException.oneLine(message));
    }
}
