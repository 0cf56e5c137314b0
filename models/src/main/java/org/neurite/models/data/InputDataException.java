package org.neurite.models.data;

/**
 * A data, weights or checkpoint file that cannot be used as it is: missing, truncated, of the
 * wrong format or inconsistent. The message is one line meant for the user as it stands (the CLI
 * prints it without a stack trace) and names the file, and the byte offset where one applies.
 *
 * <p>Checked, because every caller that opens user files must decide what the user sees.
 */
public class InputDataException extends Exception {
    private static final long serialVersionUID = 1L;

    public InputDataException(String message) {
        super(message);
    }

    public InputDataException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@code "<source> at byte <offset>: <problem>"}, the form every reader uses for positions. */
    public static InputDataException at(String source, long offset, String problem) {
        return new InputDataException(source + " at byte " + offset + ": " + problem);
    }

    /** {@code "<source>: <problem>"}. */
    public static InputDataException in(String source, String problem) {
        return new InputDataException(source + ": " + problem);
    }
}
