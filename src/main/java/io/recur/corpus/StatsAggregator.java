package io.recur.corpus;

import io.recur.storage.Sha256;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Mutable partial sums for {@link CorpusStats}, used as the zero value of an RDD aggregate:
 * Spark merges one per task result, so a retried task is counted once (unlike accumulators).
 */
final class StatsAggregator implements Serializable {
    static final int BAD_EXAMPLES = 5;

    private final long[] read = new long[Split.values().length];
    private final long[] truncated = new long[Split.values().length];
    private final long[] tokens = new long[Split.values().length];
    private long empty;
    private long joined;
    private long bad;
    private final HashMap<String, Long> badReasons = new HashMap<>();
    // Keeps only the first few by position, so the kept lines do not depend on task order.
    // Natural order rather than a comparator field: Kryo cannot serialize a lambda.
    private final TreeSet<ReadItem.Bad> firstBad = new TreeSet<>();
    private final ArrayList<ReadItem.FileRead> files = new ArrayList<>();

    StatsAggregator add(ReadItem item) {
        if (item instanceof ReadItem.Parsed p) {
            int s = p.example().split().ordinal();
            read[s]++;
            if (p.example().truncated()) truncated[s]++;
            tokens[s] += p.example().tokens().size();
        } else if (item instanceof ReadItem.Empty) {
            empty++;
        } else if (item instanceof ReadItem.Joined) {
            joined++;
        } else if (item instanceof ReadItem.Bad b) {
            bad++;
            badReasons.merge(b.kind(), 1L, Long::sum);
            keepBad(b);
        } else if (item instanceof ReadItem.FileRead f) {
            files.add(f);
        }
        return this;
    }

    StatsAggregator merge(StatsAggregator other) {
        for (int s = 0; s < read.length; s++) {
            read[s] += other.read[s];
            truncated[s] += other.truncated[s];
            tokens[s] += other.tokens[s];
        }
        empty += other.empty;
        joined += other.joined;
        bad += other.bad;
        other.badReasons.forEach((k, v) -> badReasons.merge(k, v, Long::sum));
        other.firstBad.forEach(this::keepBad);
        files.addAll(other.files);
        return this;
    }

    private void keepBad(ReadItem.Bad b) {
        firstBad.add(b);
        if (firstBad.size() > BAD_EXAMPLES) firstBad.pollLast();
    }

    CorpusStats toStats() {
        Map<Split, CorpusStats.SplitStats> splits = new EnumMap<>(Split.class);
        for (Split s : Split.values())
            splits.put(s, new CorpusStats.SplitStats(read[s.ordinal()], truncated[s.ordinal()], tokens[s.ordinal()]));
        List<String> badLines = firstBad.stream().map(ReadItem.Bad::describe).toList();
        long bytes = files.stream().mapToLong(ReadItem.FileRead::bytes).sum();
        return new CorpusStats(splits, empty, bad, badReasons, badLines, files.size(), bytes, fingerprint(), joined);
    }

    private String fingerprint() {
        MessageDigest sha = Sha256.digest();
        files.stream()
                .sorted(Comparator.comparing(ReadItem.FileRead::path))
                .forEach(f -> sha.update((f.path() + "\t" + f.bytes() + "\t" + f.sha256() + "\n")
                        .getBytes(StandardCharsets.UTF_8)));
        return Sha256.hex(sha);
    }
}
