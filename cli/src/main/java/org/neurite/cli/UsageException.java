package org.neurite.cli;

/** A bad flag value or combination; the message names the flag. Exit code 2. */
public class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
