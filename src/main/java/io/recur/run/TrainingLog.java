package io.recur.run;

import io.recur.storage.Json;
import io.recur.train.EpochRecord;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** {@code training-log.jsonl}: one {@link EpochRecord} per line, in epoch order; its one writer and reader. */
public final class TrainingLog {
    public static final String FILE = "training-log.jsonl";

    private TrainingLog() {}

    public static void write(OutputStream out, List<EpochRecord> epochs) throws IOException {
        for (EpochRecord e : epochs) {
            out.write(Json.line(e));
            out.write('\n');
        }
    }

    public static List<EpochRecord> read(InputStream in) throws IOException {
        List<EpochRecord> epochs = new ArrayList<>();
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        int number = 0;
        for (String line; (line = lines.readLine()) != null; ) {
            number++;
            if (line.isBlank()) continue;
            try {
                epochs.add(Json.read(line, EpochRecord.class));
            } catch (IOException e) {
                throw new IOException("line " + number + ": not an epoch record (" + e.getMessage() + ")", e);
            }
        }
        return epochs;
    }
}
