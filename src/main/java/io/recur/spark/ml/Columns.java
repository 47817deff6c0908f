package io.recur.spark.ml;

import io.recur.score.ColumnScorer;
import io.recur.task.Prediction;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The checks {@code transformSchema} makes of a stage's columns, each failure naming the column, its parameter and the types found. */
final class Columns {
    static final DataType STRING = DataTypes.StringType;
    static final DataType STRINGS = DataTypes.createArrayType(DataTypes.StringType);

    private Columns() {}

    /**
     * The type of the column {@code param} names, which must be one of {@code allowed}.
     *
     * @throws IllegalArgumentException if the column is missing or of another type
     */
    static DataType require(StructType schema, String param, String column, DataType... allowed) {
        StructField field = Arrays.stream(schema.fields()).filter(f -> f.name().equals(column)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(param + " = \"" + column + "\": no such column; the columns: "
                        + describe(schema)));
        if (Arrays.stream(allowed).noneMatch(t -> compatible(field.dataType(), t)))
            throw new IllegalArgumentException(param + " = \"" + column + "\": the column is " + field.dataType().simpleString()
                    + ", expected " + Arrays.stream(allowed).map(DataType::simpleString).collect(Collectors.joining(" or "))
                    + "; the columns: " + describe(schema));
        return field.dataType();
    }

    /** @throws IllegalArgumentException if a column of the name {@code param} gives is there already */
    static void requireAbsent(StructType schema, String param, String column) {
        if (Arrays.asList(schema.fieldNames()).contains(column))
            throw new IllegalArgumentException(param + " = \"" + column + "\": the output column exists already; the columns: "
                    + describe(schema) + "; name another one");
    }

    /**
     * The schema with a model's answers appended, after checking the input column and that no
     * output column exists yet.
     *
     * @param outputs the output columns' names by parameter, in the order they are appended
     */
    static StructType answered(StructType schema, Prediction kind, String inputParam, String input, DataType inputType,
                               Map<String, String> outputs) {
        require(schema, inputParam, input, inputType);
        outputs.forEach((param, column) -> requireAbsent(schema, param, column));
        StructType out = schema;
        for (StructField f : ColumnScorer.fields(kind, List.copyOf(outputs.values()))) out = out.add(f);
        return out;
    }

    /** Whether the elements may be null is the row's business: a null is a row the model does not answer. */
    private static boolean compatible(DataType found, DataType expected) {
        if (expected instanceof ArrayType e) return found instanceof ArrayType f && f.elementType().equals(e.elementType());
        return found.equals(expected);
    }

    private static String describe(StructType schema) {
        return Arrays.stream(schema.fields()).map(f -> f.name() + " " + f.dataType().simpleString())
                .collect(Collectors.joining(", "));
    }
}
