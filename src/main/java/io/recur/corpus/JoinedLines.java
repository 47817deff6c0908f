package io.recur.corpus;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The examples of one {@code text} file read with {@code corpus.join-lines}: consecutive non-blank
 * lines joined with one space while the example fits {@code corpus.max-sequence-length} tokens.
 * A blank line, a malformed line and the end of the file end an example; a line that alone is
 * longer than the limit is an example of its own, truncated as without joining. The example is
 * named by its first line and each further line it took is a {@link ReadItem.Joined}, so the lines
 * still add up to the file's.
 */
final class JoinedLines implements Iterator<ReadItem> {
    private final Iterator<ReadItem> lines;
    private final LineParser parser;
    private final ArrayDeque<ReadItem> ready = new ArrayDeque<>();
    private StringBuilder text;
    private String file;
    private long firstLine;
    private int tokens;
    private int joined;

    /**
     * @param lines  one file's lines as {@link LineParser#verbatim()} reads them
     * @param parser the corpus's parser, which makes each example
     */
    JoinedLines(Iterator<ReadItem> lines, LineParser parser) {
        this.lines = lines;
        this.parser = parser;
    }

    @Override
    public boolean hasNext() {
        while (ready.isEmpty() && lines.hasNext()) take(lines.next());
        if (ready.isEmpty()) flush();
        return !ready.isEmpty();
    }

    @Override
    public ReadItem next() {
        if (!hasNext()) throw new NoSuchElementException("the file has been read to its end");
        return ready.poll();
    }

    private void take(ReadItem item) {
        if (!(item instanceof ReadItem.Verbatim line)) {
            // A bad line or the file's end: whatever came before it is one example.
            flush();
            ready.add(item);
            return;
        }
        if (line.text().isBlank()) {
            flush();
            ready.add(new ReadItem.Empty());
            return;
        }
        String lineText = parser.text(line.text());
        if (lineText == null) {
            flush();
            ready.add(parser.missingField(line.file(), line.line()));
            return;
        }
        if (lineText.isBlank()) {
            flush();
            ready.add(new ReadItem.Empty());
            return;
        }
        if (text != null) {
            int added = parser.tokensAppended(lineText);
            if (tokens + added <= parser.maxSequenceLength()) {
                text.append(' ').append(lineText);
                tokens += added;
                joined++;
                return;
            }
            flush();
        }
        text = new StringBuilder(lineText);
        file = line.file();
        firstLine = line.line();
        tokens = parser.tokenCount(lineText);
    }

    private void flush() {
        if (text == null) return;
        ReadItem example = parser.textExample(file, firstLine, text.toString());
        ready.add(example);
        for (int i = 0; i < joined; i++) ready.add(new ReadItem.Joined());
        text = null;
        joined = 0;
    }
}
