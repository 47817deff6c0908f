package io.recur.provenance;

import java.time.Instant;

/**
 * Written as {@code provenance.json} next to every model.
 *
 * @param corpusFingerprint SHA-256 over the bytes of every corpus file read
 * @param vocabSha256       a model only loads with the vocabulary it was trained with
 * @param sparkVersion      the Spark version the job ran on (may differ from the build's)
 * @param trainedAt         ISO-8601 instant, UTC
 */
public record ModelProvenance(String jobName, String runId, String corpusFingerprint, long corpusExamples,
                              String vocabSha256, String recurVersion, String gitCommit, String dl4jVersion,
                              String sparkVersion, String javaVersion, String trainedAt) {

    public static ModelProvenance of(String jobName, String runId, String corpusFingerprint, long corpusExamples,
                                     String vocabSha256, String sparkVersion, Instant trainedAt) {
        BuildInfo build = BuildInfo.current();
        return new ModelProvenance(jobName, runId, corpusFingerprint, corpusExamples, vocabSha256,
                build.recurVersion(), build.gitCommit(), build.dl4jVersion(), sparkVersion,
                System.getProperty("java.version"), trainedAt.toString());
    }
}
