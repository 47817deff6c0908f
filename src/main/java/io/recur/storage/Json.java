package io.recur.storage;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * The one JSON mapper of recur, configured here and nowhere else: indented output (files are read
 * by people too), and unknown properties ignored, so that a file written by a newer recur with an
 * added field still loads (the registry keeps versions for years).
 */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    /** One JSON value per line, for {@code .jsonl} files. */
    private static final ObjectReader STRICT = MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final ObjectWriter LINE = MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);

    private Json() {}

    /** Writes {@code value} indented to {@code out}, and closes it. */
    public static void write(OutputStream out, Object value) throws IOException {
        MAPPER.writeValue(out, value);
    }

    /** Indented text, for the command line. */
    public static String text(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getName() + " as JSON", e);
        }
    }

    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getName() + " as JSON", e);
        }
    }

    /** One line of JSON Lines, without its line break. */
    public static byte[] line(Object value) {
        try {
            return LINE.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getName() + " as JSON", e);
        }
    }

    public static <T> T read(InputStream in, Class<T> type) throws IOException {
        return MAPPER.readValue(in, type);
    }

    public static <T> T read(byte[] json, Class<T> type) throws IOException {
        return MAPPER.readValue(json, type);
    }

    public static <T> T read(String json, Class<T> type) throws IOException {
        return MAPPER.readValue(json, type);
    }

    public static JsonNode tree(InputStream in) throws IOException {
        return MAPPER.readTree(in);
    }

    /**
     * One JSON value and nothing after it, with no key given twice: how a request body is read,
     * where {@code {"text": "a"} junk} or a repeated key is a client's mistake to report, not to guess at.
     */
    public static JsonNode strictTree(String json) throws IOException {
        return STRICT.readTree(json);
    }

    public static JsonNode tree(String json) throws IOException {
        return MAPPER.readTree(json);
    }

    public static JsonNode tree(File file) {
        try {
            return MAPPER.readTree(file);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file + ": " + e.getMessage(), e);
        }
    }

    /** The JSON tree {@code value} writes as. */
    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /** {@code value} as it would read back as {@code type}: a record as a map, a map as a record. */
    public static <T> T convert(Object value, TypeReference<T> type) {
        return MAPPER.convertValue(value, type);
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }
}
