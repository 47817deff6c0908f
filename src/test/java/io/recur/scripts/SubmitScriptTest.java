package io.recur.scripts;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** scripts/submit's spark-submit command line, from its dry run (the real script, no cluster needed). */
@DisplayName("scripts/submit")
class SubmitScriptTest {
    private static final String LOG_CONFIG = Path.of("scripts/log4j2-local.properties").toAbsolutePath().toString();

    private static String dryRun(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("scripts/submit"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("RECUR_DRY_RUN", "1");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    @Test
    void theDriverLogsLikeScriptsRecurInClientMode() throws Exception {
        String cmd = dryRun(Map.of(), "--master", "spark://head:7077", "--", "train", "jobs/default.conf");
        assertTrue(cmd.contains("-Dlog4j2.configurationFile=file:" + LOG_CONFIG), cmd);
    }

    @Test
    void clusterModeShipsTheLogConfigurationAndNamesItByItsBaseName() throws Exception {
        String cmd = dryRun(Map.of(), "--master", "yarn", "--deploy-mode", "cluster", "--", "train", "jobs/default.conf");
        assertTrue(cmd.contains("-Dlog4j2.configurationFile=log4j2-local.properties"), cmd);
        assertTrue(cmd.contains(LOG_CONFIG), "shipped with --files: " + cmd);
    }

    @Test
    void anEmptyRecurLogConfigKeepsTheClustersOwnLogging() throws Exception {
        String cmd = dryRun(Map.of("RECUR_LOG_CONFIG", ""), "--master", "yarn", "--", "train", "jobs/default.conf");
        assertFalse(cmd.contains("log4j2.configurationFile"), cmd);
    }

    @Test
    void theUsersOwnLogConfigurationWins() throws Exception {
        String cmd = dryRun(Map.of(), "--master", "yarn", "--driver-java-options", "-Dlog4j2.configurationFile=mine.xml",
                "--", "train", "jobs/default.conf");
        assertTrue(cmd.contains("mine.xml"), cmd);
        assertFalse(cmd.contains("log4j2-local.properties"), cmd);
    }
}
