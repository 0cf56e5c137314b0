package org.neurite.models.run;

/**
 * A run setting that is unknown, of the wrong type or out of range; the message names the flag
 * or the file, line and key. The CLI exits with code 2.
 */
public class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
