package io.recur.spark.ml;

import io.recur.task.Prediction;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.sql.types.StructType;

import java.util.Map;

/** The columns a tagger's model reads and writes, declared once for {@link RecurTagger} and {@link RecurTaggingModel}. */
record TaggerColumns(Param<String> tokens, Param<String> prediction) {
    static TaggerColumns declare(ColumnDeclarer stage) {
        return new TaggerColumns(
                stage.column("tokensCol", "the tokens column (array<string>)", "tokens"),
                stage.column("predictionCol", "the output column of the tags (array<string>, one per token)", "prediction"));
    }

    Map<String, String> outputs(Params stage) {
        return Map.of(prediction.name(), stage.getOrDefault(prediction));
    }

    StructType answered(Params stage, StructType schema) {
        return Columns.answered(schema, Prediction.TAGS, tokens.name(), stage.getOrDefault(tokens), Columns.STRINGS,
                outputs(stage));
    }
}
