package org.neurite.models.run;

/**
 * A run directory cannot be used: it is locked by another process, already holds a run, cannot
 * be created, or a checkpoint could not be written. The message says what to do; exit code 2.
 */
public class RunException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RunException(String message) {
        super(message);
    }

    public RunException(String message, Throwable cause) {
        super(message, cause);
    }
}
