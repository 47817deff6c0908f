package io.recur.job;

import com.fasterxml.jackson.core.JsonProcessingException;

/** JSON text of job results, for the command line. */
public final class Json {
    private Json() {}

    public static String pretty(Object value) {
        try {
            return SavedRun.JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
