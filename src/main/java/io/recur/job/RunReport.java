package io.recur.job;

import io.recur.config.TokenizerKind;
import io.recur.corpus.Example;
import io.recur.report.ReportContent;
import io.recur.report.ReportWriter;
import io.recur.report.TextSample;
import io.recur.run.SavedRun;
import io.recur.task.ReportSection;
import io.recur.task.TaskKind;
import io.recur.run.RunMetrics;
import io.recur.train.EpochRecord;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The files of a run's report, {@code report.html}, {@code report.md} and the charts' PNG files,
 * for {@link SavedRun#publish} to write. For a language model
 * it first generates {@link #SAMPLES} texts: one from an empty prompt, the others continuing the
 * opening tokens of the first test-split examples, so the prompts are text the model never
 * trained on. Seeds follow the job seed, so a run's report is reproducible.
 */
final class RunReport {
    static final int SAMPLES = 3;
    /** Prompt length: a couple of words, or about as many characters. */
    static final int PROMPT_CHARS = 12;
    static final int PROMPT_WORDS = 3;
    /** Below 1: a small model's samples at its raw distribution are mostly noise. */
    static final double SAMPLE_TEMPERATURE = 0.8;

    private RunReport() {}

    /**
     * @param runDir       where the run will be published, for the commands shown beside the samples
     * @param testExamples where prompts come from (lm); not read for a classifier
     * @return the files by name
     */
    static Map<String, byte[]> files(Path runDir, SavedRun run, RunMetrics metrics, List<EpochRecord> epochs,
                                     JavaRDD<Example> testExamples) {
        List<TextSample> samples = TaskKind.of(run.spec().task()).sections().contains(ReportSection.SAMPLES)
                ? samples(run, prompts(run, testExamples), displayPath(runDir))
                : List.of();
        return ReportWriter.files(new ReportContent(run.spec(), run.provenance(), metrics.asMap(), epochs, samples));
    }

    static List<String> prompts(SavedRun run, JavaRDD<Example> testExamples) {
        boolean chars = run.spec().corpus().textTokenizer() == TokenizerKind.CHAR;
        List<String> prompts = new ArrayList<>();
        prompts.add("");
        for (Example e : testExamples.take(SAMPLES - 1)) {
            List<String> tokens = e.tokens().subList(0, Math.min(e.tokens().size(), chars ? PROMPT_CHARS : PROMPT_WORDS));
            prompts.add(String.join(chars ? "" : " ", tokens));
        }
        return prompts;
    }

    static List<TextSample> samples(SavedRun run, List<String> prompts, String runDir) {
        GenerateJob generator = new GenerateJob(run);
        List<TextSample> samples = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            long seed = run.spec().seed() + i;
            var spec = new SamplingSpec(generator.defaultLength(), SAMPLE_TEMPERATURE, 0, seed);
            GenerateJob.Sample s = generator.generate(prompts.get(i), spec);
            String command = String.format(Locale.ROOT, "scripts/recur generate --model %s --prompt %s "
                    + "--length %d --temperature %s --seed %d", shellQuote(runDir), shellQuote(s.prompt()),
                    spec.maxTokens(), spec.temperature(), seed);
            samples.add(new TextSample(s.prompt(), s.continuation(), s.endOfSequence(), command));
        }
        return samples;
    }

    /** A local run as a plain path, as users type it; other file systems keep their scheme. */
    private static String displayPath(Path p) {
        return "file".equals(p.toUri().getScheme()) ? p.toUri().getPath() : p.toString();
    }

    /** POSIX single quotes, so the command can be pasted whatever the prompt contains. */
    static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
