package io.recur.corpus;

import java.util.Optional;

/**
 * Recognizes, from the first bytes of a file, text that is not UTF-8 although every byte of it may
 * decode as UTF-8: UTF-16 and UTF-32 (by their byte-order mark, or by the NUL bytes that interleave
 * ASCII text in them), binary data full of NUL bytes, and lines ended by {@code \r} alone.
 * Read as UTF-8 they would give garbage tokens and labels rather than malformed lines.
 */
final class TextSniffer {
    /** Enough to see the pattern of NUL bytes, few enough to decide before the first line is read. */
    static final int NUL_SAMPLE_BYTES = 4096;

    private TextSniffer() {}

    /** What is wrong with text that starts with {@code bytes[0, length)}, or empty when it may be UTF-8. */
    static Optional<String> problem(byte[] bytes, int length, boolean wholeFile) {
        return encoding(bytes, length).map(e -> "the file is " + e + ", not UTF-8; corpus files must be UTF-8 text"
                        + (e.startsWith("UTF-") ? " (convert it, e.g. iconv -f " + e.replaceFirst(" .*", "") + " -t UTF-8)" : ""))
                .or(() -> lineEnds(bytes, length, wholeFile));
    }

    /** The encoding the bytes are in, when it is one that UTF-8 decoding would silently misread. */
    static Optional<String> encoding(byte[] b, int length) {
        if (starts(b, length, 0xFF, 0xFE, 0x00, 0x00)) return Optional.of("UTF-32LE (byte-order mark FF FE 00 00)");
        if (starts(b, length, 0x00, 0x00, 0xFE, 0xFF)) return Optional.of("UTF-32BE (byte-order mark 00 00 FE FF)");
        if (starts(b, length, 0xFF, 0xFE)) return Optional.of("UTF-16LE (byte-order mark FF FE)");
        if (starts(b, length, 0xFE, 0xFF)) return Optional.of("UTF-16BE (byte-order mark FE FF)");
        int n = Math.min(length, NUL_SAMPLE_BYTES) & ~3;
        if (n < 4) return Optional.empty();
        int[] nuls = new int[4];
        int total = 0;
        for (int i = 0; i < n; i++)
            if (b[i] == 0) {
                nuls[i & 3]++;
                total++;
            }
        // UTF-8 text holds no NUL bytes; a few are a malformed line each, a quarter or more is not text.
        if (4 * total < n) return Optional.empty();
        double quarter = n / 4.0;
        double[] share = {nuls[0] / quarter, nuls[1] / quarter, nuls[2] / quarter, nuls[3] / quarter};
        if (total == n) return Optional.of("binary data (only NUL bytes)");
        if (share[2] > 0.9 && share[3] > 0.9 && share[0] < 0.5) return Optional.of("UTF-32LE (no byte-order mark; NUL-interleaved)");
        if (share[0] > 0.9 && share[1] > 0.9 && share[3] < 0.5) return Optional.of("UTF-32BE (no byte-order mark; NUL-interleaved)");
        double odd = (share[1] + share[3]) / 2, even = (share[0] + share[2]) / 2;
        if (odd > 0.5 && even < 0.5) return Optional.of("UTF-16LE (no byte-order mark; NUL-interleaved)");
        if (even > 0.5 && odd < 0.5) return Optional.of("UTF-16BE (no byte-order mark; NUL-interleaved)");
        return Optional.of(String.format(java.util.Locale.ROOT,
                "binary data (%d of its first %d bytes are NUL)", total, n));
    }

    /**
     * Lines ended by {@code \r} alone (classic Mac OS): no {@code \n} in a sample that is the whole
     * file or full, but at least one {@code \r} before its end. Read at {@code \n} they would be one line.
     */
    private static Optional<String> lineEnds(byte[] b, int length, boolean wholeFile) {
        int crs = 0;
        for (int i = 0; i < length; i++) {
            if (b[i] == '\n') return Optional.empty();
            if (b[i] == '\r' && (i < length - 1 || !wholeFile)) crs++;
        }
        if (crs == 0) return Optional.empty();
        return Optional.of("its lines end in \\r alone (classic Mac OS line ends: " + crs + " \\r and no \\n in the first "
                + length + " bytes), so it would be read as one line; convert it to \\n line ends, e.g. tr '\\r' '\\n'");
    }

    private static boolean starts(byte[] b, int length, int... prefix) {
        if (length < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) if ((b[i] & 0xFF) != prefix[i]) return false;
        return true;
    }
}
