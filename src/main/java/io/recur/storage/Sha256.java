package io.recur.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256, the one hash of recur: fingerprints, manifests, checkpoint keys, the stable split. */
public final class Sha256 {
    private static final HexFormat HEX = HexFormat.of();

    private Sha256() {}

    /** A fresh digest, for callers that feed it in pieces. */
    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    /** Lower-case hex of a finished digest. */
    public static String hex(MessageDigest digest) {
        return HEX.formatHex(digest.digest());
    }

    public static String hex(byte[] bytes) {
        return HEX.formatHex(digest().digest(bytes));
    }

    /** Of the text's UTF-8 bytes. */
    public static String hex(String text) {
        return hex(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Of everything left in {@code in}, with the number of bytes read. */
    public static Sized of(InputStream in) throws IOException {
        MessageDigest digest = digest();
        long bytes = 0;
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
            digest.update(buffer, 0, n);
            bytes += n;
        }
        return new Sized(bytes, hex(digest));
    }

    /** A stream's length and lower-case hex SHA-256. */
    public record Sized(long bytes, String sha256) {}
}
