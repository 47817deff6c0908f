package io.recur.corpus;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Reads one file, line by line, inside a Spark task: one {@link ReadItem} per line, then a
 * {@link ReadItem.FileRead} with the size and SHA-256 of the file's bytes as stored (before
 * decompression). Lines end at {@code \n}; a {@code \r} before it and a byte-order mark at the
 * start of the file are dropped. Each line's bytes are decoded as strict UTF-8, so one bad byte
 * makes one bad line instead of a silently replaced character.
 */
final class FileLines implements Iterator<ReadItem>, AutoCloseable {
    private static final int BUFFER_BYTES = 1 << 16;

    private final String file;
    private final LineParser parser;
    private final DigestingStream raw;
    private final InputStream text;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int bufferPos;
    private int bufferEnd;
    private byte[] line = new byte[256];
    private long lineNo;
    private ReadItem next;
    private boolean finished;
    private boolean closed;

    private FileLines(String file, LineParser parser, DigestingStream raw, InputStream text) {
        this.file = file;
        this.parser = parser;
        this.raw = raw;
        this.text = text;
    }

    /** Opens {@code file} through its Hadoop file system, decompressing by extension ({@code .gz}, {@code .bz2}, ...). */
    static FileLines open(String file, Configuration conf, LineParser parser) throws IOException {
        Path path = new Path(file);
        FileSystem fs = path.getFileSystem(conf);
        DigestingStream raw = new DigestingStream(fs.open(path));
        CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(path);
        InputStream text = codec == null ? raw : codec.createInputStream(raw);
        return new FileLines(file, parser, raw, text);
    }

    @Override
    public boolean hasNext() {
        if (next == null && !finished) next = advance();
        return next != null;
    }

    @Override
    public ReadItem next() {
        if (!hasNext()) throw new NoSuchElementException(file + " has been read to its end");
        ReadItem item = next;
        next = null;
        return item;
    }

    /** Idempotent: called at the end of the file and again when the task completes. */
    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        text.close();
    }

    private ReadItem advance() {
        try {
            int length = readLine();
            if (length < 0) return finish();
            lineNo++;
            if (length > 0 && line[length - 1] == '\r') length--;
            String decoded;
            try {
                decoded = utf8.decode(ByteBuffer.wrap(line, 0, length)).toString();
            } catch (CharacterCodingException e) {
                return new ReadItem.Bad(file, lineNo, "undecodable UTF-8", "undecodable UTF-8");
            }
            if (lineNo == 1 && decoded.startsWith("\uFEFF")) decoded = decoded.substring(1);
            return parser.parse(file, lineNo, decoded);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ":" + (lineNo + 1) + ": cannot read: " + e.getMessage(), e);
        }
    }

    private ReadItem finish() throws IOException {
        // A decompressor may stop before the end of the stored bytes (gzip trailer, padding);
        // the fingerprint covers the whole file, so read the rest.
        raw.drain();
        close();
        finished = true;
        return new ReadItem.FileRead(file, raw.bytes, HexFormat.of().formatHex(raw.digest.digest()));
    }

    /** Reads the next line's bytes into {@link #line}, without the {@code \n}; -1 at end of file. */
    private int readLine() throws IOException {
        int length = 0;
        boolean any = false;
        while (true) {
            if (bufferPos == bufferEnd) {
                int n = text.read(buffer, 0, buffer.length);
                if (n < 0) return any ? length : -1;
                bufferPos = 0;
                bufferEnd = n;
            }
            any = true;
            int start = bufferPos;
            while (bufferPos < bufferEnd && buffer[bufferPos] != '\n') bufferPos++;
            int chunk = bufferPos - start;
            if (length + chunk > line.length) line = Arrays.copyOf(line, Math.max(2 * line.length, length + chunk));
            System.arraycopy(buffer, start, line, length, chunk);
            length += chunk;
            if (bufferPos < bufferEnd) {
                bufferPos++;
                return length;
            }
        }
    }

    /** Counts and hashes every byte that passes, including any the decompressor never asks for. */
    private static final class DigestingStream extends FilterInputStream {
        final MessageDigest digest = StableSplit.sha256();
        long bytes;

        DigestingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                digest.update((byte) b);
                bytes++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                digest.update(b, off, n);
                bytes += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] skipped = new byte[(int) Math.min(n, BUFFER_BYTES)];
            int read = read(skipped, 0, skipped.length);
            return Math.max(read, 0);
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        void drain() throws IOException {
            byte[] rest = new byte[BUFFER_BYTES];
            while (read(rest, 0, rest.length) >= 0) {
                // read() hashes and counts
            }
        }
    }
}
