package io.recur.job;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The lines {@code predict} answers, read from a byte stream: split at {@code \n} only, with one
 * trailing {@code \r} removed, each decoded as strict UTF-8 on its own. A lone {@code \r} is part of
 * its line and a line that is not UTF-8 is still a line, so the n-th answer is always for the n-th
 * input line (a reader that also split at {@code \r}, or decoded the stream as a whole, shifted them).
 * Not thread-safe.
 */
public final class PredictInput {
    private final InputStream in;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private boolean ended;
    private boolean first = true;

    /** @param in buffered by the caller when it is a slow stream such as stdin */
    public PredictInput(InputStream in) {
        this.in = in;
    }

    /**
     * One input line.
     *
     * @param text the decoded line, without its line ending; null when its bytes are not UTF-8
     */
    public record Line(String text) {
        public boolean decodable() {
            return text != null;
        }
    }

    /** The next line, or null after the last; text after the last {@code \n} is a line too. */
    public Line next() throws IOException {
        if (ended) return null;
        line.reset();
        int b;
        while ((b = in.read()) != -1 && b != '\n') line.write(b);
        if (b == -1) {
            ended = true;
            if (line.size() == 0) return null;
        }
        byte[] bytes = line.toByteArray();
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        String text = decode(bytes, length);
        // A byte order mark is not text: editors on Windows start UTF-8 files with one.
        if (first && text != null && text.startsWith("\uFEFF")) text = text.substring(1);
        first = false;
        return new Line(text);
    }

    private static String decode(byte[] bytes, int length) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
