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

    /** Control characters in {@code message} (a forged name, a parser's quote of the input) are escaped: it stays one line. */
    public InputDataException(String message) {
        super(oneLine(message));
    }

    public InputDataException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    /** {@code "<source> at byte <offset>: <problem>"}, the form every reader uses for positions. */
    public static InputDataException at(String source, long offset, String problem) {
        return new InputDataException(source + " at byte " + offset + ": " + problem);
    }

    /** {@code "<source>: <problem>"}. */
    public static InputDataException in(String source, String problem) {
        return new InputDataException(source + ": " + problem);
    }

    /**
     * {@code s} with every ISO control character written as a Java escape ({@code \n}, {@code \u0000}),
     * so text taken from a file cannot break a message into lines or hide part of it.
     */
    public static String oneLine(String s) {
        if (s == null || s.chars().noneMatch(Character::isISOControl)) return s;
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.toString();
    }
}
