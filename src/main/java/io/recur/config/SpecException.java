package io.recur.config;

import com.typesafe.config.ConfigOrigin;

/**
 * A job spec is wrong: the job file is missing or malformed, a key is unknown, a value has the
 * wrong type or is out of range, or two keys contradict each other. The message starts with where
 * the offending value came from ({@code file:line}, {@code --set key=value} or the environment),
 * names the full key and the bad value, and says what is allowed. Always thrown before Spark starts.
 */
public final class SpecException extends UserInputException {
    /** Marks origins of {@code --set} values; they have no line worth showing. */
    static final String SET_ORIGIN_PREFIX = "--set ";

    public SpecException(String message) {
        super(message);
    }

    public SpecException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Where a value was written, as {@code file:line}, {@code resource:line} or the
     * {@code --set} argument it came from.
     */
    static String where(ConfigOrigin origin) {
        String place;
        if (origin.filename() != null) {
            place = origin.filename();
        } else if (origin.resource() != null) {
            place = origin.resource();
        } else {
            // description() appends ": <line>"; strip it so every location reads "name:line".
            place = origin.description().replaceFirst(": \\d+(-\\d+)?$", "");
            if (place.startsWith(SET_ORIGIN_PREFIX)) {
                return place;
            }
        }
        return origin.lineNumber() >= 0 ? place + ":" + origin.lineNumber() : place;
    }
}
