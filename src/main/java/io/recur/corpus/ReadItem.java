package io.recur.corpus;

import java.io.Serializable;

/** What reading one line, or one whole file, produced; the stats are aggregated over these. */
sealed interface ReadItem extends Serializable {

    /** A usable example. */
    record Parsed(Example example) implements ReadItem {}

    /** A decoded line as it stands, before any format is applied: what {@link LineParser#verbatim()} gives. */
    record Verbatim(String file, long line, String text) implements ReadItem {}

    /** A line joined into the example before it ({@code corpus.join-lines}): counted as a line, not an example. */
    record Joined() implements ReadItem {}

    /** A line with no tokens after tokenization: skipped, not an error. */
    record Empty() implements ReadItem {}

    /**
     * A malformed line or row.
     *
     * @param origin where it is
     * @param kind   a short fixed reason for grouping ({@code no tab}), without the line's content
     * @param reason what is wrong, naming the offending token where there is one
     */
    record Bad(CorpusRecord.Origin origin, String kind, String reason) implements ReadItem, Comparable<Bad> {
        Bad(String file, long line, String kind, String reason) {
            this(CorpusRecord.Origin.line(file, line), kind, reason);
        }

        String file() {
            return origin.file();
        }

        long line() {
            return origin.number();
        }

        /** By file, then line or row (and byte where a task began): the order in which they are reported. */
        @Override
        public int compareTo(Bad other) {
            int byFile = file().compareTo(other.file());
            if (byFile != 0) return byFile;
            int byPart = Long.compare(origin.from(), other.origin.from());
            return byPart != 0 ? byPart : Long.compare(line(), other.line());
        }

        String describe() {
            return origin.describe() + ": " + reason;
        }
    }

    /** Emitted once a file has been read to its end. */
    record FileRead(String path, long bytes, String sha256) implements ReadItem {}
}
