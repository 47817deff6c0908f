package io.recur.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Metrics of a classifier from its confusion matrix ({@code confusion[actual][predicted]}).
 * A class that never occurs and is never predicted has no defined F1 and is left out of the
 * macro average; one that occurs but is never predicted counts with F1 = 0.
 */
public record ClassificationMetrics(List<String> labels, long[][] confusion) {

    public long examples() {
        long n = 0;
        for (long[] row : confusion) for (long c : row) n += c;
        return n;
    }

    public double accuracy() {
        long correct = 0;
        for (int i = 0; i < confusion.length; i++) correct += confusion[i][i];
        long n = examples();
        return n == 0 ? Double.NaN : (double) correct / n;
    }

    public double precision(int c) {
        long predicted = 0;
        for (long[] row : confusion) predicted += row[c];
        return predicted == 0 ? 0.0 : (double) confusion[c][c] / predicted;
    }

    public double recall(int c) {
        long actual = 0;
        for (long v : confusion[c]) actual += v;
        return actual == 0 ? 0.0 : (double) confusion[c][c] / actual;
    }

    public double f1(int c) {
        double p = precision(c), r = recall(c);
        return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
    }

    private boolean present(int c) {
        long total = 0;
        for (int i = 0; i < confusion.length; i++) total += confusion[c][i] + confusion[i][c];
        return total > 0;
    }

    public double macroF1() {
        double sum = 0;
        int n = 0;
        for (int c = 0; c < labels.size(); c++) {
            if (!present(c)) continue;
            sum += f1(c);
            n++;
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Per-class precision, recall, F1 and support, keyed by label. */
    public Map<String, Map<String, Number>> perClass() {
        Map<String, Map<String, Number>> out = new LinkedHashMap<>();
        for (int c = 0; c < labels.size(); c++) {
            long support = 0;
            for (long v : confusion[c]) support += v;
            // Insertion-ordered so that metrics.json lists the figures in the same order every run.
            Map<String, Number> figures = new LinkedHashMap<>();
            figures.put("precision", precision(c));
            figures.put("recall", recall(c));
            figures.put("f1", f1(c));
            figures.put("support", support);
            out.put(labels.get(c), figures);
        }
        return out;
    }

    public List<List<Long>> confusionRows() {
        List<List<Long>> rows = new ArrayList<>();
        for (long[] row : confusion) {
            List<Long> r = new ArrayList<>();
            for (long v : row) r.add(v);
            rows.add(r);
        }
        return rows;
    }
}
