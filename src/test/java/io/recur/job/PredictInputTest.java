package io.recur.job;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

@DisplayName("PredictInput")
class PredictInputTest {

    private static List<PredictInput.Line> lines(byte[] bytes) throws IOException {
        PredictInput in = new PredictInput(new ByteArrayInputStream(bytes));
        List<PredictInput.Line> out = new ArrayList<>();
        for (PredictInput.Line l = in.next(); l != null; l = in.next()) out.add(l);
        return out;
    }

    private static List<String> texts(String input) throws IOException {
        return lines(input.getBytes(StandardCharsets.UTF_8)).stream().map(PredictInput.Line::text).toList();
    }

    @Test
    void keepsALoneCarriageReturnInsideItsLine() throws IOException {
        assertEquals(List.of("free prize\rcall now", "hello there"), texts("free prize\rcall now\nhello there\n"));
    }

    @Test
    void stripsOneCarriageReturnBeforeTheLineFeed() throws IOException {
        assertEquals(List.of("a", "b\r"), texts("a\r\nb\r\r\n"));
    }

    @Test
    void readsTextAfterTheLastLineFeedAsALine() throws IOException {
        assertEquals(List.of("a", "b"), texts("a\nb"));
    }

    @Test
    void readsEmptyLinesAsLines() throws IOException {
        assertEquals(List.of("", "a", ""), texts("\na\n\n"));
    }

    @Test
    void readsNothingFromEmptyInput() throws IOException {
        assertEquals(List.of(), texts(""));
    }

    @Test
    void dropsAByteOrderMarkAtTheStartOnly() throws IOException {
        assertEquals(List.of("a", "\uFEFFb"), texts("\uFEFFa\n\uFEFFb\n"));
    }

    @Test
    void givesAnUndecodableLineWithoutShiftingTheNextOnes() throws IOException {
        byte[] bytes = {'o', 'k', '\n', (byte) 0xC3, '(', '\n', (byte) 0xFF, '\n', 'e', 'n', 'd', '\n'};
        List<PredictInput.Line> lines = lines(bytes);
        assertEquals(4, lines.size());
        assertEquals("ok", lines.get(0).text());
        assertFalse(lines.get(1).decodable());
        assertNull(lines.get(2).text());
        assertEquals("end", lines.get(3).text());
    }

    @Test
    void givesOneLinePerLineFeedSeparatedLineOfRandomBytes() throws IOException {
        byte[] bytes = new byte[100_000];
        new Random(12).nextBytes(bytes);
        long feeds = 0;
        for (byte b : bytes) if (b == '\n') feeds++;
        long expected = bytes[bytes.length - 1] == '\n' ? feeds : feeds + 1;
        assertEquals(expected, lines(bytes).size(), () -> "input: " + Arrays.hashCode(bytes));
    }
}
