package io.recur.vocab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.recur.storage.Json;
import io.recur.storage.Sha256;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON form of vocabularies and label sets. JSON rather than one token per line because char
 * vocabularies hold white space and any code point.
 */
public final class VocabularyFile {
    private VocabularyFile() {}

    public static void write(Vocabulary vocab, OutputStream out) throws IOException {
        ObjectNode root = Json.object();
        root.put("reserved", Vocabulary.RESERVED.size());
        // Written only when on, so that a vocabulary without classes keeps its file byte for byte.
        if (vocab.hasUnknownClasses()) root.put("unknownClasses", true);
        ArrayNode tokens = root.putArray("tokens");
        ArrayNode counts = root.putArray("counts");
        for (int id = 0; id < vocab.size(); id++) {
            tokens.add(vocab.token(id));
            counts.add(vocab.count(id));
        }
        Json.write(out, root);
    }

    public static Vocabulary read(InputStream in) throws IOException {
        JsonNode root = Json.tree(in);
        int reserved = root.path("reserved").asInt(-1);
        if (reserved != Vocabulary.RESERVED.size())
            throw new IOException("not a recur vocabulary: expected " + Vocabulary.RESERVED.size() + " reserved ids");
        List<String> tokens = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        JsonNode t = root.path("tokens"), c = root.path("counts");
        for (int i = reserved; i < t.size(); i++) {
            tokens.add(t.get(i).asText());
            counts.add(c.get(i).asLong());
        }
        return Vocabulary.of(tokens, counts, root.path("unknownClasses").asBoolean(false));
    }

    public static void write(LabelSet labels, OutputStream out) throws IOException {
        ObjectNode root = Json.object();
        ArrayNode array = root.putArray("labels");
        labels.labels().forEach(array::add);
        Json.write(out, root);
    }

    public static LabelSet readLabels(InputStream in) throws IOException {
        List<String> labels = new ArrayList<>();
        Json.tree(in).path("labels").forEach(n -> labels.add(n.asText()));
        return new LabelSet(labels);
    }

    /** SHA-256 of the tokens in id order: a model's vocabulary must match it exactly. */
    public static String sha256(Vocabulary vocab) {
        var d = Sha256.digest();
        for (String token : vocab.tokens()) {
            d.update(token.getBytes(StandardCharsets.UTF_8));
            d.update((byte) 0);
        }
        return Sha256.hex(d);
    }
}
