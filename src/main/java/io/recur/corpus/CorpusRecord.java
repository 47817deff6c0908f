package io.recur.corpus;

import java.io.Serializable;
import java.util.List;
import java.util.StringJoiner;

/**
 * One example as a {@link CorpusSource} found it, before the {@link RecordLayout} tokenizes,
 * lower-cases, truncates and splits it: a text or ready-made tokens, and the label and tags the
 * corpus format names.
 *
 * @param text   the text to tokenize; null when the tokens are given
 * @param tokens the tokens as stored (a tagged line's words, a tokens column); null when there is a text
 * @param label  the class ({@code labeled}), else null
 * @param tags   one tag per token as stored ({@code tagged}), else null
 * @param origin where it was read, for messages
 */
public record CorpusRecord(String text, List<String> tokens, String label, List<String> tags, Origin origin)
        implements Serializable {

    public CorpusRecord {
        if ((text == null) == (tokens == null)) throw new IllegalArgumentException("a record has a text or tokens, not both");
    }

    /**
     * A file's line, or a table's row: {@code file:line}, or {@code file row N} with the id column's value.
     *
     * @param file   the file's URI
     * @param number the 1-based line, or the row's 1-based position in the file
     * @param row    whether {@code number} counts rows of a table rather than lines
     * @param id     the id column's value, or null
     * @param from   for a row counted by the task that read it (CSV, JSON, ORC), the byte of the file where
     *               that task started reading when not 0; the row is then the task's N-th, not the file's
     */
    public record Origin(String file, long number, boolean row, String id, long from) implements Serializable {
        public static Origin line(String file, long line) {
            return new Origin(file, line, false, null, 0);
        }

        public String describe() {
            if (!row) return file + ":" + number;
            return file + (from == 0 ? " row " + number : " (the part from byte " + from + ") row " + number)
                    + (id == null ? "" : " (id " + id + ")");
        }
    }

    /**
     * What the {@link StableSplit} hashes: the example's canonical fields, not the bytes of its container.
     * A text is keyed on itself, tokens on themselves joined by a space, a label by {@code label<TAB>} before
     * either, and tagged tokens on {@code word/TAG} pairs joined by a space, as stored (before lower-casing and
     * tag simplification). So a bundled corpus line ({@code label<TAB>text}, {@code word/TAG word/TAG}) keys as
     * it did when the split hashed the raw line, and the same example in a table keys the same.
     */
    public String splitKey() {
        if (tags != null) {
            StringJoiner pairs = new StringJoiner(" ");
            for (int i = 0; i < tokens.size(); i++) pairs.add(tokens.get(i) + "/" + (i < tags.size() ? tags.get(i) : ""));
            return pairs.toString();
        }
        String body = text != null ? text : String.join(" ", tokens);
        return label == null ? body : label + "\t" + body;
    }
}
