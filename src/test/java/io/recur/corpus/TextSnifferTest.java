package io.recur.corpus;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("TextSniffer")
class TextSnifferTest {
    private static final String TEXT = "ham\tOk lar... Joking wif u oni...\nspam\tFree entry in 2 a wkly comp\n";

    private static Optional<String> problem(byte[] bytes) {
        return TextSniffer.problem(bytes, bytes.length, true);
    }

    private static Optional<String> encodingOf(String text, Charset charset) {
        byte[] bytes = text.getBytes(charset);
        return TextSniffer.encoding(bytes, bytes.length);
    }

    @Nested
    @DisplayName("names the encoding of")
    class Encodings {
        @Test
        void utf16WithItsByteOrderMark() {
            assertEquals(Optional.of("UTF-16BE (byte-order mark FE FF)"), encodingOf(TEXT, StandardCharsets.UTF_16));
        }

        @Test
        void littleEndianUtf16WithoutAByteOrderMark() {
            assertEquals(Optional.of("UTF-16LE (no byte-order mark; NUL-interleaved)"), encodingOf(TEXT, StandardCharsets.UTF_16LE));
        }

        @Test
        void bigEndianUtf16WithoutAByteOrderMark() {
            assertEquals(Optional.of("UTF-16BE (no byte-order mark; NUL-interleaved)"), encodingOf(TEXT, StandardCharsets.UTF_16BE));
        }

        @Test
        void utf32WithoutAByteOrderMark() {
            assertEquals(Optional.of("UTF-32BE (no byte-order mark; NUL-interleaved)"), encodingOf(TEXT, Charset.forName("UTF-32")));
            assertEquals(Optional.of("UTF-32LE (no byte-order mark; NUL-interleaved)"), encodingOf(TEXT, Charset.forName("UTF-32LE")));
        }

        @Test
        void littleEndianUtf32ByItsByteOrderMarkRatherThanUtf16s() {
            byte[] bom = {(byte) 0xFF, (byte) 0xFE, 0, 0, 'a', 0, 0, 0};
            assertEquals(Optional.of("UTF-32LE (byte-order mark FF FE 00 00)"), TextSniffer.encoding(bom, bom.length));
        }

        @Test
        void nulFilledDataAsBinary() {
            assertEquals(Optional.of("binary data (only NUL bytes)"), TextSniffer.encoding(new byte[8192], 8192));
        }
    }

    @Nested
    @DisplayName("accepts")
    class Accepts {
        @Test
        void utf8TextWithItsByteOrderMark() {
            assertEquals(Optional.empty(), problem(("\uFEFF" + TEXT).getBytes(StandardCharsets.UTF_8)));
        }

        @Test
        void utf8TextWithAFewNulBytes() {
            // They make malformed lines, each counted; they do not make the file another encoding.
            assertEquals(Optional.empty(), problem((TEXT + "ham\tfree\0prize\n").getBytes(StandardCharsets.UTF_8)));
        }

        @Test
        void crlfLineEnds() {
            assertEquals(Optional.empty(), problem(TEXT.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8)));
        }

        @Test
        void aSingleLineEndingInCarriageReturnOnly() {
            assertEquals(Optional.empty(), problem("ham\tone line\r".getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void refusesLinesEndedByCarriageReturnAlone() {
        Optional<String> p = problem(TEXT.replace('\n', '\r').getBytes(StandardCharsets.UTF_8));
        assertTrue(p.isPresent() && p.get().startsWith("its lines end in \\r alone"), p.toString());
    }

    @Test
    void saysTheFileMustBeUtf8AndHowToConvertIt() {
        Optional<String> p = problem(TEXT.getBytes(StandardCharsets.UTF_16LE));
        assertEquals(Optional.of("the file is UTF-16LE (no byte-order mark; NUL-interleaved), not UTF-8; corpus files must be"
                + " UTF-8 text (convert it, e.g. iconv -f UTF-16LE -t UTF-8)"), p);
    }

    @Test
    void offersNoConversionForBinaryData() {
        assertEquals(Optional.of("the file is binary data (only NUL bytes), not UTF-8; corpus files must be UTF-8 text"),
                problem(new byte[4096]));
    }
}
