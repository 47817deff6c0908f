package io.recur.score;

import io.recur.config.EnumNames;
import io.recur.config.UserInputException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;

import java.util.Arrays;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.to_json;

/** The table formats {@code score} writes, each with Spark SQL's own writer. */
public enum OutputFormat {
    PARQUET, JSON, CSV;

    /** @param name as given to {@code --format} */
    public static OutputFormat of(String name) {
        for (OutputFormat f : values()) if (f.sparkName().equals(name)) return f;
        throw new UserInputException("--format " + name + ": score writes parquet (the default), json or csv");
    }

    String sparkName() {
        return EnumNames.label(this);
    }

    /** Writes {@code table} as a new directory; CSV has no arrays, so there each array column holds its JSON. */
    void write(Dataset<Row> table, String dir) {
        Dataset<Row> flat = table;
        if (this == CSV) {
            Column[] columns = Arrays.stream(table.schema().fields())
                    .map(f -> f.dataType() instanceof ArrayType ? to_json(col(f.name())).as(f.name()) : col(f.name()))
                    .toArray(Column[]::new);
            flat = table.select(columns);
        }
        DataFrameWriter<Row> writer = flat.write().format(sparkName());
        if (this == CSV) writer = writer.option("header", "true");
        writer.save(dir);
    }
}
