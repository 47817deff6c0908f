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
     * A malformed line.
     *
     * @param kind   a short fixed reason for grouping ({@code no tab}), without the line's content
     * @param reason what is wrong, naming the offending token where there is one
     */
    record Bad(String file, long line, String kind, String reason) implements ReadItem, Comparable<Bad> {
        /** By file, then line: the order in which bad lines are reported. */
        @Override
        public int compareTo(Bad other) {
            int byFile = file.compareTo(other.file);
            return byFile != 0 ? byFile : Long.compare(line, other.line);
        }

        String describe() {
            return file + ":" + line + ": " + reason;
        }
    }

    /** Emitted once a file has been read to its end. */
    record FileRead(String path, long bytes, String sha256) implements ReadItem {}
}
