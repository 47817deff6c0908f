package io.recur.corpus;

import io.recur.config.CorpusFormat;
import io.recur.config.CorpusSpec;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one decoded line into a {@link CorpusRecord} following the {@link CorpusFormat}, and that
 * into an example through the {@link RecordLayout}; or into an empty or a bad line. A line that
 * is blank (only white space) is empty in every format. A {@code text} line's text starts at
 * {@code corpus.text-field} when {@code corpus.field-separator} is set.
 */
final class LineParser implements Serializable {
    private final RecordLayout layout;
    private final String fieldSeparator;
    private final int textField;

    private LineParser(RecordLayout layout, String fieldSeparator, int textField) {
        this.layout = layout;
        this.fieldSeparator = fieldSeparator;
        this.textField = textField;
    }

    /** Parses no format: every decoded line comes back {@link ReadItem.Verbatim}, blank ones too. */
    static LineParser verbatim() {
        return new LineParser(null, "", 1);
    }

    /** Only the fields of a {@code text} line, for {@link #text}. */
    static LineParser fields(CorpusSpec corpus) {
        return new LineParser(null, corpus.fieldSeparator(), corpus.textField());
    }

    LineParser(CorpusSpec corpus, RecordLayout layout) {
        this(layout, corpus.fieldSeparator(), corpus.textField());
    }

    ReadItem parse(String file, long lineNo, String line) {
        if (layout == null) return new ReadItem.Verbatim(file, lineNo, line);
        if (line.isBlank()) return new ReadItem.Empty();
        return switch (layout.format()) {
            case TEXT -> {
                String text = text(line);
                yield text == null ? missingField(file, lineNo) : textExample(file, lineNo, text);
            }
            case LABELED -> labeled(file, lineNo, line);
            case TAGGED -> tagged(file, lineNo, line);
        };
    }

    /** The text of a {@code text} line: the line, or from its text field on; null when it has fewer fields. */
    String text(String line) {
        if (fieldSeparator.isEmpty()) return line;
        int start = 0;
        for (int field = 1; field < textField; field++) {
            int at = line.indexOf(fieldSeparator, start);
            if (at < 0) return null;
            start = at + fieldSeparator.length();
        }
        return line.substring(start);
    }

    ReadItem.Bad missingField(String file, long lineNo) {
        return new ReadItem.Bad(file, lineNo, "fewer fields than corpus.text-field",
                "fewer than " + textField + " fields separated by '" + fieldSeparator + "' (corpus.text-field = "
                        + textField + ")");
    }

    /** A {@code text} example of {@code text}, keyed for its split on that text. */
    ReadItem textExample(String file, long lineNo, String text) {
        return layout.example(new CorpusRecord(text, null, null, null, CorpusRecord.Origin.line(file, lineNo)));
    }

    /**
     * Tokens that {@code text} adds to an example when it is appended after a space. The tokenizers
     * split at white space and never join across it, so this is the count of {@code "x " + text}
     * less the one {@code "x"} stands for: a char tokenizer counts the space, a word tokenizer does not.
     */
    int tokensAppended(String text) {
        return layout.tokenize("x " + text).size() - 1;
    }

    int tokenCount(String text) {
        return layout.tokenize(text).size();
    }

    int maxSequenceLength() {
        return layout.maxSequenceLength();
    }

    private ReadItem labeled(String file, long lineNo, String line) {
        int tab = line.indexOf('\t');
        if (tab < 0)
            return new ReadItem.Bad(file, lineNo, "no tab", "no tab (expected label<TAB>text)");
        String label = line.substring(0, tab).strip();
        if (label.isEmpty())
            return new ReadItem.Bad(file, lineNo, "empty label", "empty label before the tab");
        return layout.example(new CorpusRecord(line.substring(tab + 1), null, label, null,
                CorpusRecord.Origin.line(file, lineNo)));
    }

    private ReadItem tagged(String file, long lineNo, String line) {
        List<String> pairs = new WhitespaceTokenizer(false).tokenize(line);
        List<String> words = new ArrayList<>(pairs.size());
        List<String> tags = new ArrayList<>(pairs.size());
        for (String pair : pairs) {
            // The last '/' separates the tag, so a word may itself contain '/' ("1/2/CD").
            int slash = pair.lastIndexOf('/');
            if (slash <= 0 || slash == pair.length() - 1)
                return new ReadItem.Bad(file, lineNo, "token without word/TAG",
                        "token '" + pair + "' is not word/TAG");
            words.add(pair.substring(0, slash));
            tags.add(pair.substring(slash + 1));
        }
        return layout.example(new CorpusRecord(null, words, null, tags, CorpusRecord.Origin.line(file, lineNo)));
    }
}
