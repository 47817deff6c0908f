package io.recur.cli;

import io.recur.config.SparkSpec;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Checks {@code --master} as the spec checks {@code spark.master}, before any work. */
final class MasterUrl implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
        SparkSpec.masterProblem(value).ifPresent(problem -> {
            throw new TypeConversionException("'" + value + "': " + problem);
        });
        return value.strip();
    }
}
