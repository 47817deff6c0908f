package io.recur.provenance;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Versions of recur and the libraries it was built against, and the git commit, recorded at build
 * time into {@code recur-build.properties} (a commit with local edits ends in {@code -dirty};
 * a build outside git says {@code unknown}).
 */
public record BuildInfo(String recurVersion, String gitCommit, String dl4jVersion, String sparkBuildVersion) {

    public static BuildInfo current() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/recur-build.properties")) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new BuildInfo(value(p, "recur.version"), value(p, "git.commit"),
                value(p, "dl4j.version"), value(p, "spark.version"));
    }

    private static String value(Properties p, String key) {
        String v = p.getProperty(key, "").trim();
        // An unfiltered placeholder means the build did not supply it.
        return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
    }
}
