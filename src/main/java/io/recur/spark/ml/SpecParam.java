package io.recur.spark.ml;

import io.recur.config.SpecKey;
import io.recur.storage.Json;
import org.apache.spark.ml.param.Param;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A job spec key as a Spark ML parameter: named by its key ({@code model.hidden-size}), with the
 * doc and default of {@code recur-reference.conf}. Values are what a job file may write (numbers,
 * booleans, strings, lists of strings) and persist as JSON; whether a value is allowed is the
 * spec's check, made on the whole spec (its rules span keys: the split fractions sum to 1) when the
 * estimator checks its schema or fits, with the message a job file's value would get.
 */
final class SpecParam extends Param<Object> {
    SpecParam(String parent, SpecKey declared) {
        super(parent, declared.key(), declared.doc());
    }

    /** @throws IllegalArgumentException for a value no job file could write */
    @Override
    public void validate(Object value) {
        boolean written = value instanceof Number || value instanceof Boolean || value instanceof String
                || value instanceof List<?> list && list.stream().allMatch(e -> e instanceof String);
        if (!written)
            throw new IllegalArgumentException(name() + " = " + value + " (" + (value == null ? "null" : value.getClass().getName())
                    + "): expected a number, boolean, string or list of strings");
    }

    @Override
    public String jsonEncode(Object value) {
        return Json.text(value);
    }

    @Override
    public Object jsonDecode(String json) {
        try {
            return Json.read(json, Object.class);
        } catch (IOException e) {
            throw new UncheckedIOException("parameter " + name() + ": not JSON: " + json, e);
        }
    }
}
