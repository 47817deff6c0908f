package io.recur.config;

import java.util.List;

/**
 * Where the corpus is and how to read it.
 *
 * @param paths             Hadoop URIs or paths: files, directories or globs; {@code .gz} is read transparently
 * @param maxSequenceLength longer examples are truncated to this many tokens and counted
 * @param maxBadFraction    malformed lines are skipped up to this fraction of all lines; above it the job fails
 */
public record CorpusSpec(List<String> paths, CorpusFormat format, TokenizerKind tokenizer,
                         boolean lowercase, int maxSequenceLength, double maxBadFraction) {
    public CorpusSpec {
        paths = List.copyOf(paths);
    }
}
