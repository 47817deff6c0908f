package io.recur.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A corpus directory that grows by whole files, as a production corpus does: the SMS slice
 * ({@code src/test/resources/corpus/sms-spam-slice.tsv}) dealt into {@code parts} interleaved files
 * (line i goes to part i mod parts), so that every part holds both ham and spam, which the slice
 * lists in blocks.
 */
public final class GrowingCorpus {
    private final Path dir;
    private final List<List<String>> parts = new ArrayList<>();
    private int added;

    public GrowingCorpus(Path dir, int parts) throws IOException {
        this.dir = Files.createDirectories(dir);
        for (int i = 0; i < parts; i++) this.parts.add(new ArrayList<>());
        List<String> lines = Files.readAllLines(Path.of("src/test/resources/corpus/sms-spam-slice.tsv"));
        for (int i = 0; i < lines.size(); i++) this.parts.get(i % parts).add(lines.get(i));
    }

    public Path dir() {
        return dir;
    }

    /** Writes the next part as a new file. */
    public void addPart() throws IOException {
        Files.write(dir.resolve(String.format("part-%02d.tsv", added)), parts.get(added));
        added++;
    }
}
