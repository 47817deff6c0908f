package io.recur.corpus;

import io.recur.storage.Sha256;
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
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Reads one file, line by line, inside a Spark task: one {@link ReadItem} per line, then a
 * {@link ReadItem.FileRead} with the size and SHA-256 of the file's bytes as stored (before
 * decompression). Lines end at {@code \n}; a {@code \r} before it and a byte-order mark at the
 * start of the file are dropped. Each line's bytes are decoded as strict UTF-8, so one bad byte
 * makes one bad line instead of a silently replaced character; a line with a NUL byte, or longer
 * than {@code corpus.max-line-bytes}, is a bad line too, and the reader never holds more of a line
 * than that limit.
 *
 * <p>A file that is not UTF-8 text at all (UTF-16 or UTF-32, NUL-filled binary data, lines ended
 * by {@code \r} alone; see {@link TextSniffer}) and a compressed file whose data is corrupt or
 * truncated are {@link CorpusException}s naming the file: the user's input is wrong, not the file
 * system. A failure of the file system itself stays an {@link UncheckedIOException}.
 */
final class FileLines implements Iterator<ReadItem>, AutoCloseable {
    private static final int BUFFER_BYTES = 1 << 16;

    private final String file;
    private final LineParser parser;
    private final DigestingStream raw;
    private final InputStream text;
    private final String codec;
    private final int maxLineBytes;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int bufferPos;
    private int bufferEnd;
    private byte[] line = new byte[256];
    /** Whether the line just read was cut at {@link #maxLineBytes}; its remaining bytes were skipped. */
    private boolean lineTooLong;
    private boolean sniffed;
    /** A read that failed while the first bytes were sniffed, thrown when the reader gets to it. */
    private IOException deferredFailure;
    private long lineNo;
    private ReadItem next;
    private boolean finished;
    private boolean closed;

    private FileLines(String file, LineParser parser, int maxLineBytes, DigestingStream raw, InputStream text,
                      String codec) {
        this.file = file;
        this.parser = parser;
        this.maxLineBytes = maxLineBytes;
        this.raw = raw;
        this.text = text;
        this.codec = codec;
    }

    /**
     * Opens {@code file} through its Hadoop file system, decompressing by extension ({@code .gz}, {@code .bz2}, ...).
     *
     * @param maxLineBytes longer lines are bad lines ({@code corpus.max-line-bytes})
     */
    static FileLines open(String file, Configuration conf, LineParser parser, int maxLineBytes) throws IOException {
        Path path = new Path(file);
        FileSystem fs = path.getFileSystem(conf);
        DigestingStream raw = new DigestingStream(fs.open(path));
        CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(path);
        if (codec == null) return new FileLines(file, parser, maxLineBytes, raw, raw, null);
        try {
            return new FileLines(file, parser, maxLineBytes, raw, codec.createInputStream(raw), codec.getDefaultExtension());
        } catch (IOException e) {
            if (raw.failed) throw e;
            raw.close();
            throw corrupt(file, 1, codec.getDefaultExtension(), e);
        }
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
            if (!sniffed) sniff();
            int length = readLine();
            if (length < 0) return finish();
            lineNo++;
            if (lineTooLong)
                return new ReadItem.Bad(file, lineNo, "longer than corpus.max-line-bytes",
                        "longer than corpus.max-line-bytes (" + maxLineBytes + " bytes); split the line or raise the limit");
            if (length > 0 && line[length - 1] == '\r') length--;
            String decoded;
            try {
                decoded = utf8.decode(ByteBuffer.wrap(line, 0, length)).toString();
            } catch (CharacterCodingException e) {
                return new ReadItem.Bad(file, lineNo, "undecodable UTF-8", "undecodable UTF-8");
            }
            if (decoded.indexOf('\0') >= 0)
                return new ReadItem.Bad(file, lineNo, "NUL byte", "holds a NUL byte (binary data, not text)");
            if (lineNo == 1 && decoded.startsWith("\uFEFF")) decoded = decoded.substring(1);
            return parser.parse(file, lineNo, decoded);
        } catch (IOException e) {
            if (raw.failed || codec == null)
                throw new UncheckedIOException(file + ":" + (lineNo + 1) + ": cannot read: " + e.getMessage(), e);
            // The stored bytes were read; the decompressor refused them.
            throw corrupt(file, lineNo + 1, codec, e);
        }
    }

    private static CorpusException corrupt(String file, long lineNo, String extension, IOException e) {
        return new CorpusException(file + ":" + lineNo + ": cannot read: " + e + "; the file is not valid "
                + extension + " data (corrupt, truncated, or not compressed although its name ends in "
                + extension + ")");
    }

    /**
     * Fills the buffer with the file's first bytes (up to its size, or the whole file) and checks
     * that they can be UTF-8 text before any line is parsed.
     */
    private void sniff() {
        sniffed = true;
        int n;
        try {
            while (bufferEnd < buffer.length && (n = text.read(buffer, bufferEnd, buffer.length - bufferEnd)) >= 0)
                bufferEnd += n;
        } catch (IOException e) {
            // Reported once the lines before it are read, so that it names the line where reading failed.
            deferredFailure = e;
        }
        boolean wholeFile = bufferEnd < buffer.length && deferredFailure == null;
        TextSniffer.problem(buffer, bufferEnd, wholeFile).ifPresent(problem -> {
            throw new CorpusException(file + ": " + problem);
        });
    }

    private ReadItem finish() throws IOException {
        // A decompressor may stop before the end of the stored bytes (gzip trailer, padding);
        // the fingerprint covers the whole file, so read the rest.
        raw.drain();
        close();
        finished = true;
        return new ReadItem.FileRead(file, raw.bytes, Sha256.hex(raw.digest));
    }

    /**
     * Reads the next line's bytes into {@link #line}, without the {@code \n}; -1 at end of file.
     * Keeps at most {@code maxLineBytes} (and a {@code \r}) of a line: the rest is skipped and
     * {@link #lineTooLong} set.
     */
    private int readLine() throws IOException {
        int length = 0;
        long total = 0;
        boolean any = false;
        while (true) {
            if (bufferPos == bufferEnd) {
                if (deferredFailure != null) {
                    IOException e = deferredFailure;
                    deferredFailure = null;
                    throw e;
                }
                int n = text.read(buffer, 0, buffer.length);
                if (n < 0) {
                    lineTooLong = any && tooLong(total, length);
                    return any ? length : -1;
                }
                bufferPos = 0;
                bufferEnd = n;
            }
            any = true;
            int start = bufferPos;
            while (bufferPos < bufferEnd && buffer[bufferPos] != '\n') bufferPos++;
            int chunk = bufferPos - start;
            total += chunk;
            // One byte over the limit, for the \r of a CRLF line that is exactly at the limit.
            int kept = (int) Math.min(chunk, Math.max(0, (long) maxLineBytes + 1 - length));
            if (length + kept > line.length) line = Arrays.copyOf(line, Math.max(2 * line.length, length + kept));
            System.arraycopy(buffer, start, line, length, kept);
            length += kept;
            if (bufferPos < bufferEnd) {
                bufferPos++;
                lineTooLong = tooLong(total, length);
                return length;
            }
        }
    }

    private boolean tooLong(long total, int kept) {
        long content = total > 0 && kept > 0 && total == kept && line[kept - 1] == '\r' ? total - 1 : total;
        return content > maxLineBytes;
    }

    /** Counts and hashes every byte that passes, including any the decompressor never asks for. */
    private static final class DigestingStream extends FilterInputStream {
        final MessageDigest digest = Sha256.digest();
        long bytes;
        /** Whether reading the stored bytes failed, as opposed to decompressing them. */
        boolean failed;

        DigestingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b;
            try {
                b = in.read();
            } catch (IOException e) {
                failed = true;
                throw e;
            }
            if (b >= 0) {
                digest.update((byte) b);
                bytes++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n;
            try {
                n = in.read(b, off, len);
            } catch (IOException e) {
                failed = true;
                throw e;
            }
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
