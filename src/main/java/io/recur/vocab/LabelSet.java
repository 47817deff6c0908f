package io.recur.vocab;

import java.io.Serializable;
import java.util.List;

/** Class labels of a classifier, in a fixed order (sorted by name) that gives the output columns. */
public record LabelSet(List<String> labels) implements Serializable {
    public LabelSet {
        labels = List.copyOf(labels);
        if (labels.stream().distinct().count() != labels.size())
            throw new IllegalArgumentException("labels listed twice: " + labels);
    }

    /** Index of the label, or -1 for a label the model never saw. */
    public int id(String label) {
        return labels.indexOf(label);
    }

    public String label(int id) {
        return labels.get(id);
    }

    public int size() {
        return labels.size();
    }
}
