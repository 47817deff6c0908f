package io.recur.config;

import com.typesafe.config.Config;

/** Runs go to {@code <dir>/<job name>/<run id>/}; scratch files to {@code workDir}. Both are Hadoop URIs or paths. */
public record OutputSpec(String dir, String workDir) {
    public OutputSpec {
        if (dir == null || dir.isBlank() || workDir == null || workDir.isBlank()) {
            throw new IllegalArgumentException("dir and workDir must be non-blank, were '" + dir + "', '" + workDir + "'");
        }
    }

    /** Reads {@code output.*} of a resolved job spec. */
    static OutputSpec from(Config root) {
        SpecReader r = new SpecReader(root);
        return new OutputSpec(r.string("output.dir"), r.string("output.work-dir"));
    }
}
