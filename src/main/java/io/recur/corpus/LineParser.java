package io.recur.corpus;

import io.recur.config.CorpusFormat;
import io.recur.config.CorpusSpec;
import io.recur.config.SplitSpec;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns one decoded line into an example, an empty line or a bad line, following the
 * {@link CorpusFormat}. A line that is blank (only white space) is empty in every format. A
 * {@code text} line's text starts at {@code corpus.text-field} when {@code corpus.field-separator}
 * is set; its split is keyed on that text, so for a whole-line text on the line as before.
 */
final class LineParser implements Serializable {
    private final CorpusFormat format;
    private final Tokenizer tokenizer;
    private final boolean lowercase;
    private final boolean tagSimplify;
    private final int maxSequenceLength;
    private final String fieldSeparator;
    private final int textField;
    private final StableSplit split;

    /** Parses no format: every decoded line comes back {@link ReadItem.Verbatim}, blank ones too. */
    private LineParser() {
        this.format = null;
        this.tokenizer = null;
        this.lowercase = false;
        this.tagSimplify = false;
        this.maxSequenceLength = 0;
        this.fieldSeparator = "";
        this.textField = 1;
        this.split = null;
    }

    /** The lines as text, for scoring: the bytes are checked (UTF-8, NUL, length) but no format is applied. */
    static LineParser verbatim() {
        return new LineParser();
    }

    LineParser(CorpusSpec corpus, SplitSpec split) {
        if (corpus.maxSequenceLength() < 1)
            throw new CorpusException("corpus.max-sequence-length must be >= 1, was " + corpus.maxSequenceLength());
        this.format = corpus.format();
        this.tokenizer = Tokenizer.of(corpus.tokenizer(), corpus.lowercase());
        this.lowercase = corpus.lowercase();
        this.tagSimplify = corpus.tagSimplify();
        this.maxSequenceLength = corpus.maxSequenceLength();
        this.fieldSeparator = corpus.fieldSeparator();
        this.textField = corpus.textField();
        this.split = new StableSplit(split);
    }

    ReadItem parse(String file, long lineNo, String line) {
        if (format == null) return new ReadItem.Verbatim(file, lineNo, line);
        if (line.isBlank()) return new ReadItem.Empty();
        return switch (format) {
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
        return example(file, lineNo, text, null, tokenizer.tokenize(text), null);
    }

    /**
     * Tokens that {@code text} adds to an example when it is appended after a space. The tokenizers
     * split at white space and never join across it, so this is the count of {@code "x " + text}
     * less the one {@code "x"} stands for: a char tokenizer counts the space, a word tokenizer does not.
     */
    int tokensAppended(String text) {
        return tokenizer.tokenize("x " + text).size() - 1;
    }

    int tokenCount(String text) {
        return tokenizer.tokenize(text).size();
    }

    int maxSequenceLength() {
        return maxSequenceLength;
    }

    private ReadItem labeled(String file, long lineNo, String line) {
        int tab = line.indexOf('\t');
        if (tab < 0)
            return new ReadItem.Bad(file, lineNo, "no tab", "no tab (expected label<TAB>text)");
        String label = line.substring(0, tab).strip();
        if (label.isEmpty())
            return new ReadItem.Bad(file, lineNo, "empty label", "empty label before the tab");
        return example(file, lineNo, line, label, tokenizer.tokenize(line.substring(tab + 1)), null);
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
            String word = pair.substring(0, slash);
            words.add(lowercase ? word.toLowerCase(Locale.ROOT) : word);
            String tag = pair.substring(slash + 1);
            tags.add(tagSimplify ? BrownTags.simplify(tag) : tag);
        }
        return example(file, lineNo, line, null, words, tags);
    }

    private ReadItem example(String file, long lineNo, String line, String label,
                             List<String> tokens, List<String> tags) {
        if (tokens.isEmpty()) return new ReadItem.Empty();
        boolean truncated = tokens.size() > maxSequenceLength;
        if (truncated) {
            tokens = tokens.subList(0, maxSequenceLength);
            if (tags != null) tags = tags.subList(0, maxSequenceLength);
        }
        return new ReadItem.Parsed(new Example(file + ":" + lineNo, label, tokens, tags, truncated,
                split.assign(line)));
    }
}
