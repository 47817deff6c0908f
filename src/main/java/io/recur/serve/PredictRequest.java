package io.recur.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.recur.config.EnumNames;
import io.recur.storage.Json;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A {@code POST /predict} body: {@code {"text": "..."}} or {@code {"texts": ["...", ...]}}, and for
 * a language model an optional {@code "topK"}. Anything else is refused with a message naming the field.
 *
 * @param texts  the texts to answer, in order
 * @param single whether the body gave one {@code text} (answered as one {@code prediction})
 * @param topK   the tokens to list; null for the default
 */
record PredictRequest(List<String> texts, boolean single, Integer topK) {
    private static final Set<String> FIELDS = Set.of("text", "texts", "topK");

    /** The field a text came from, for messages: {@code text} or {@code texts[3]}. */
    String field(int index) {
        return single ? "text" : "texts[" + index + "]";
    }

    static PredictRequest parse(byte[] body, int maxBatch) throws BadRequest {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new BadRequest(400, "the body is not UTF-8");
        }
        JsonNode root;
        try {
            root = Json.strictTree(text);
        } catch (JsonProcessingException e) {
            throw new BadRequest(400, "the body is not JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr()));
        } catch (IOException e) {
            throw new BadRequest(400, "the body is not JSON: " + e.getMessage());
        }
        if (root == null || root.isMissingNode())
            throw new BadRequest(400, "the body is empty; send {\"text\": \"...\"} or {\"texts\": [...]}");
        if (!root.isObject())
            throw new BadRequest(400, "the body is a JSON " + EnumNames.label(root.getNodeType())
                    + "; send an object {\"text\": \"...\"} or {\"texts\": [...]}");
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name))
                throw new BadRequest(400, "unknown field \"" + name + "\"; a request has \"text\" or \"texts\", "
                        + "and optionally \"topK\"");
        }
        JsonNode one = root.get("text");
        JsonNode many = root.get("texts");
        if (one != null && many != null)
            throw new BadRequest(400, "both \"text\" and \"texts\"; send one of them");
        if (one == null && many == null)
            throw new BadRequest(400, "no \"text\"; send {\"text\": \"...\"} or {\"texts\": [...]}");
        Integer topK = topK(root.get("topK"));
        if (one != null) return new PredictRequest(List.of(string(one, "text")), true, topK);
        if (!many.isArray())
            throw new BadRequest(400, "\"texts\" is a JSON " + EnumNames.label(many.getNodeType()) + "; it must be an array of strings");
        if (many.isEmpty()) throw new BadRequest(400, "\"texts\" is empty; send at least one text");
        if (many.size() > maxBatch)
            throw new BadRequest(400, "\"texts\" holds " + many.size() + " texts; at most " + maxBatch
                    + " are answered in one request (--max-batch)");
        List<String> texts = new ArrayList<>(many.size());
        for (int i = 0; i < many.size(); i++) texts.add(string(many.get(i), "texts[" + i + "]"));
        return new PredictRequest(List.copyOf(texts), false, topK);
    }

    private static String string(JsonNode node, String field) throws BadRequest {
        if (!node.isTextual())
            throw new BadRequest(400, "\"" + field + "\" is a JSON " + EnumNames.label(node.getNodeType()) + "; it must be a string");
        return node.textValue();
    }

    private static Integer topK(JsonNode node) throws BadRequest {
        if (node == null) return null;
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 1)
            throw new BadRequest(400, "\"topK\" is " + node + "; it must be a whole number of at least 1");
        return node.intValue();
    }
}
