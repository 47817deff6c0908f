package io.recur.corpus;

import org.apache.spark.api.java.JavaRDD;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What reading a corpus produced, computed in one pass over the lines.
 *
 * @param splits       per split: examples read, examples truncated, tokens after truncation
 * @param skippedEmpty lines with no tokens, skipped without counting as errors
 * @param skippedBad   malformed lines, skipped
 * @param badReasons   malformed lines per kind of fault ({@code no tab}, {@code undecodable UTF-8}, ...)
 * @param badExamples  the first few malformed lines as {@code file:line: reason}, sorted by file then line
 * @param files        number of files read
 * @param bytes        total size of those files as stored (compressed files count compressed)
 * @param fingerprint  SHA-256 hex over the sorted list of (file path, byte length, SHA-256 of the
 *                     file's stored bytes): it changes when any byte does, not when paths are listed
 *                     in another order
 * @param joinedLines  lines joined into the example before them ({@code corpus.join-lines}); 0 without joining
 */
public record CorpusStats(Map<Split, SplitStats> splits, long skippedEmpty, long skippedBad,
                          Map<String, Long> badReasons, List<String> badExamples,
                          int files, long bytes, String fingerprint, long joinedLines) implements Serializable {

    /**
     * @param read      examples assigned to the split
     * @param truncated of those, examples cut to the maximum sequence length
     * @param tokens    tokens in the split after truncation
     */
    public record SplitStats(long read, long truncated, long tokens) implements Serializable {
        /** The counts of these examples, in one pass on the executors. */
        public static SplitStats of(JavaRDD<Example> examples) {
            return examples.map(e -> new SplitStats(1, e.truncated() ? 1 : 0, e.tokens().size()))
                    .fold(new SplitStats(0, 0, 0), SplitStats::plus);
        }

        SplitStats plus(SplitStats o) {
            return new SplitStats(read + o.read, truncated + o.truncated, tokens + o.tokens);
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("read", read);
            m.put("truncated", truncated);
            m.put("tokens", tokens);
            return m;
        }
    }

    public CorpusStats {
        splits = Map.copyOf(splits);
        badReasons = Map.copyOf(badReasons);
        badExamples = List.copyOf(badExamples);
    }

    /** Statistics of a corpus read one example per line. */
    public CorpusStats(Map<Split, SplitStats> splits, long skippedEmpty, long skippedBad, Map<String, Long> badReasons,
                       List<String> badExamples, int files, long bytes, String fingerprint) {
        this(splits, skippedEmpty, skippedBad, badReasons, badExamples, files, bytes, fingerprint, 0);
    }

    /** The same counts with the files as a table's driver-side listing describes them. */
    public CorpusStats withFiles(int otherFiles, long otherBytes, String otherFingerprint) {
        return new CorpusStats(splits, skippedEmpty, skippedBad, badReasons, badExamples, otherFiles, otherBytes,
                otherFingerprint, joinedLines);
    }

    public SplitStats split(Split s) {
        return splits.getOrDefault(s, new SplitStats(0, 0, 0));
    }

    /** Examples in all splits. */
    public long examples() {
        return splits.values().stream().mapToLong(SplitStats::read).sum();
    }

    /** Every line read: examples (each counted by its first line), lines joined into them, empty and bad lines. */
    public long lines() {
        return examples() + joinedLines + skippedEmpty + skippedBad;
    }

    /**
     * For {@code metrics.json}: plain maps, lists, strings and numbers in a fixed key order;
     * splits are keyed {@code train}, {@code validation}, {@code test}.
     */
    public Map<String, Object> toMap() {
        return toMap(split(Split.TRAIN));
    }

    /**
     * {@link #toMap()} with {@code trainedOn}, the share of the training split that training kept
     * ({@code split.train-subset}), as the train split's counts: what a reader of the train row
     * takes it for. {@link #split} keeps the whole split's.
     */
    public Map<String, Object> toMap(SplitStats trainedOn) {
        Map<String, Object> perSplit = new LinkedHashMap<>();
        for (Split s : Split.values())
            perSplit.put(s.name().toLowerCase(Locale.ROOT), (s == Split.TRAIN ? trainedOn : split(s)).toMap());
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("splits", perSplit);
        map.put("lines", lines());
        map.put("joinedLines", joinedLines);
        map.put("skippedEmpty", skippedEmpty);
        map.put("skippedBad", skippedBad);
        map.put("badReasons", new TreeMap<>(badReasons));
        map.put("badExamples", badExamples);
        map.put("files", files);
        map.put("bytes", bytes);
        map.put("fingerprint", fingerprint);
        return map;
    }
}
