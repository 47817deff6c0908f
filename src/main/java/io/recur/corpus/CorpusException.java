package io.recur.corpus;

import io.recur.config.UserInputException;

/** The corpus cannot be used as specified: a path matches nothing, too many lines are malformed, a split is empty. */
public class CorpusException extends UserInputException {
    public CorpusException(String message) {
        super(message);
    }

    public CorpusException(String message, Throwable cause) {
        super(message, cause);
    }
}
