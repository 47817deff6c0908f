package io.recur.spark.ml;

import io.recur.task.Prediction;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.sql.types.StructType;

import java.util.LinkedHashMap;
import java.util.Map;

/** The columns a classifier's model reads and writes, declared once for {@link RecurClassifier} and {@link RecurClassificationModel}. */
record ClassifierColumns(Param<String> text, Param<String> tokens, Param<String> prediction, Param<String> probability) {
    static ClassifierColumns declare(ColumnDeclarer stage) {
        return new ClassifierColumns(
                stage.column("textCol", "the text column (string), tokenized by corpus.tokenizer; read unless tokensCol is set", "text"),
                stage.column("tokensCol", "a tokens column (array<string>), read as it is instead of textCol; \"\" = none", ""),
                stage.column("predictionCol", "the output column of the most likely label (string)", "prediction"),
                stage.column("probabilityCol", "the output column of that label's probability (double)", "probability"));
    }

    boolean readsTokens(Params stage) {
        return !stage.getOrDefault(tokens).isEmpty();
    }

    Param<String> input(Params stage) {
        return readsTokens(stage) ? tokens : text;
    }

    Map<String, String> outputs(Params stage) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(prediction.name(), stage.getOrDefault(prediction));
        out.put(probability.name(), stage.getOrDefault(probability));
        return out;
    }

    StructType answered(Params stage, StructType schema) {
        Param<String> input = input(stage);
        return Columns.answered(schema, Prediction.LABELS, input.name(), stage.getOrDefault(input),
                readsTokens(stage) ? Columns.STRINGS : Columns.STRING, outputs(stage));
    }
}
