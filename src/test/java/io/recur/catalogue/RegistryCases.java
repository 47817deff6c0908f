package io.recur.catalogue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.recur.registry.CorpusFingerprint;
import io.recur.registry.Lineage;
import io.recur.registry.MetricComparison;
import io.recur.registry.Outcome;
import io.recur.storage.ProcessIdentity;
import io.recur.registry.Registry;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.recur.catalogue.BadInput.fails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Bad registries, leases and registry command lines. */
final class RegistryCases {
    private static final String MODEL = "spam";

    private RegistryCases() {}

    static List<BadInput> rows() {
        return List.of(
                fails("model name escaping the registry", "registry promote",
                        ws -> registry(ws, 1, "promote", "v000001", "--model", "../escape2"), 2, "../escape2")
                        .leaving((ws, outcome) -> assertFalse(Files.exists(ws.root().resolve("escape2")),
                                "nothing may be created outside the registry root")),
                fails("registry.model escaping the registry", "retrain", ws -> new String[]{"retrain", Workspace.SMS_JOB,
                        "--set", "registry.dir=\"" + ws.root().resolve("registry") + "\"", "--set", "registry.model=\"../escape3\""},
                        2, "registry.model").leaving((ws, outcome) -> assertFalse(Files.exists(ws.root().resolve("escape3")),
                                "nothing may be created outside the registry root")),
                fails("model name naming another registry", "registry show", ws -> {
                    // A second registry beside the first: its model directory is <registry>/../other.
                    Registry other = Registry.open(ws.root().toString(), "other", new Configuration());
                    publishAndPromote(ws, other, 1);
                    return registry(ws, 1, "show", "--model", "../other");
                }, 2, "../other").leaving(Checks.stdoutLines(0)),
                fails("empty model name", "registry list", ws -> registry(ws, 1, "list", "--model", ""),
                        2, "'' is not a model name"),
                fails("nonexistent registry", "registry list", ws -> new String[]{"registry", "list",
                        "--registry", ws.root().resolve("no-such-registry").toString(), "--model", MODEL},
                        2, "no-such-registry").leaving(Checks.stdoutLines(0)),
                fails("model not in the registry", "registry list", ws -> registry(ws, 1, "list", "--model", "spma"),
                        2, "models there: spam"),
                fails("rollback with no earlier champion", "registry rollback", ws -> registry(ws, 1, "rollback"),
                        2, "no earlier one to roll back to"),
                fails("unreadable lease", "registry promote", ws -> {
                    String[] args = registry(ws, 2, "promote", "v000001");
                    Files.writeString(ws.root().resolve("registry/" + MODEL + "/lease"), "{\"owner\": \"trunc");
                    return args;
                }, 6, "unreadable lease file"),
                fails("lease held by a live process", "registry promote", ws -> {
                    String[] args = registry(ws, 2, "promote", "v000001");
                    writeLease(ws, ProcessIdentity.current());
                    return args;
                }, 6, "running on this host").leaving(championIs("v000002")));
    }

    /**
     * A registry {@code <ws>/registry} whose model has {@code versions} versions, each promoted in
     * turn, and the command line {@code registry <args> --registry <it>} (with {@code --model spam}
     * unless {@code args} names one).
     */
    private static String[] registry(Workspace ws, int versions, String... args) throws IOException {
        Registry registry = Registry.open(ws.root().resolve("registry").toString(), MODEL, new Configuration());
        publishAndPromote(ws, registry, versions);
        boolean namesModel = List.of(args).contains("--model");
        List<String> all = new java.util.ArrayList<>(List.of("registry"));
        all.addAll(List.of(args));
        all.addAll(List.of("--registry", ws.root().resolve("registry").toString()));
        if (!namesModel) all.addAll(List.of("--model", MODEL));
        return all.toArray(String[]::new);
    }

    private static void publishAndPromote(Workspace ws, Registry registry, int versions) throws IOException {
        for (int i = 0; i < versions; i++) {
            java.nio.file.Path run = Files.createDirectories(java.nio.file.Path.of(registry.stagingDir().toUri())
                    .resolve("run-" + UUID.randomUUID()));
            double accuracy = 0.9 + i / 100.0;
            Files.writeString(run.resolve("metrics.json"), "{\"heldOut\": {\"accuracy\": " + accuracy + "}}");
            MetricComparison c = new MetricComparison("accuracy", true, accuracy, Double.NaN, 0);
            String v = registry.publish(new Path(run.toUri()), new Lineage(null, MODEL, registry.champion().orElse(null),
                    Outcome.PROMOTED, c.reason(), null, "0.1", "abc", "run", Map.of(), c, Map.of(),
                    new CorpusFingerprint("d", List.of())));
            registry.promote(v, "catalogue");
        }
    }

    /** A lease file as a holder with {@code holder}'s identity writes it, acquired just now for an hour. */
    private static void writeLease(Workspace ws, ProcessIdentity holder) throws IOException {
        Instant now = Instant.now();
        Map<String, Object> lease = new LinkedHashMap<>();
        lease.put("owner", "catalogue (retrain)");
        lease.put("host", holder.host());
        lease.put("pid", holder.pid());
        lease.put("processStart", holder.startedAt());
        lease.put("pidNamespace", holder.pidNamespace());
        lease.put("acquired", now.toString());
        lease.put("expiry", now.plusSeconds(3600).toString());
        lease.put("token", UUID.randomUUID().toString());
        new ObjectMapper().writeValue(ws.root().resolve("registry/" + MODEL + "/lease").toFile(), lease);
    }

    private static BadInput.Check championIs(String version) {
        return (ws, outcome) -> assertEquals(version, Registry.open(ws.root().resolve("registry").toString(), MODEL,
                new Configuration()).champion().orElseThrow());
    }
}
