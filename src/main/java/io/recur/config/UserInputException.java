package io.recur.config;

/**
 * The user's spec, command line or data is wrong. The message names the file, line or key and
 * says what would work; the command line maps this to exit code 2.
 */
public class UserInputException extends RuntimeException {
    public UserInputException(String message) {
        super(message);
    }

    public UserInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
