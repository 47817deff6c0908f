package io.recur.cli;

import io.recur.config.UserInputException;
import io.recur.registry.ChampionPointer;
import io.recur.registry.Lease;
import io.recur.registry.Lineage;
import io.recur.registry.Registry;
import io.recur.storage.Json;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "registry", mixinStandardHelpOptions = true,
        description = "Looks at and changes the versions of a model in the registry of `recur retrain`.",
        subcommands = {RegistryCommand.ListVersions.class, RegistryCommand.Show.class,
                RegistryCommand.Promote.class, RegistryCommand.Rollback.class})
final class RegistryCommand implements Runnable {
    /** Hand-made changes are quick; a crashed one on another host blocks retrains for at most this long. */
    private static final Duration CHANGE_LEASE = Duration.ofMinutes(10);

    @CommandLine.Spec
    CommandSpec command;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(command.commandLine(), "missing subcommand: list, show, promote or rollback");
    }

    static final class Target {
        @Option(names = "--registry", required = true, paramLabel = "URI", description = "registry root (registry.dir of the job)")
        String registry;

        @Option(names = "--model", required = true, paramLabel = "NAME", description = "model name (registry.model, by default job.name)")
        String model;

        /** The model's registry, which must exist: a typo in either flag is an error, not an empty registry. */
        Registry open() {
            return Registry.openExisting(registry, model, new Configuration());
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Versions, oldest first: champion mark (*), outcome, the metric that decided promotion, time, reason.")
    static final class ListVersions implements Callable<Integer> {
        private static final String ROW = "%-9s %-1s %-9s %-24s %-20s %s%n";

        @Mixin
        Target target;

        @Override
        public Integer call() {
            Registry registry = target.open();
            String champion = registry.champion().orElse(null);
            List<String> versions = registry.versions();
            if (versions.isEmpty()) {
                System.out.println("no versions in " + registry.modelDir());
                return ExitCodes.OK;
            }
            System.out.printf(Locale.ROOT, ROW, "version", "", "outcome", "metric", "created", "reason");
            for (String v : versions) {
                Lineage l = registry.lineage(v);
                String metric = l.comparison() == null ? "-"
                        : String.format(Locale.ROOT, "%s %.4f", l.comparison().metric(), l.comparison().challenger());
                System.out.printf(Locale.ROOT, ROW, v, v.equals(champion) ? "*" : "",
                        l.outcome().label(), metric, Instant.parse(l.createdAt()).truncatedTo(ChronoUnit.SECONDS), l.reason());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Lineage and metrics of a version (default: the champion) as JSON.")
    static final class Show implements Callable<Integer> {
        @Mixin
        Target target;

        @Parameters(index = "0", arity = "0..1", paramLabel = "VERSION", description = "e.g. v000003; default: the champion")
        String version;

        @Override
        public Integer call() {
            Registry registry = target.open();
            Optional<String> champion = registry.champion();
            String v = version != null ? version : champion.orElseThrow(() -> new UserInputException(
                    registry.modelDir() + " has no champion; name a version (see `recur registry list`)"));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("version", v);
            out.put("directory", registry.versionDir(v).toString());
            out.put("champion", champion.map(v::equals).orElse(false));
            out.put("lineage", registry.lineage(v));
            registry.metrics(v).ifPresent(m -> out.put("metrics", m));
            System.out.println(Json.text(out));
            return ExitCodes.OK;
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true,
            description = "Makes VERSION the champion (takes the registry's lease; exit 6 if a retrain holds it).")
    static final class Promote implements Callable<Integer> {
        @Mixin
        Target target;

        @Parameters(index = "0", paramLabel = "VERSION", description = "e.g. v000003")
        String version;

        @Override
        public Integer call() {
            Registry registry = target.open();
            try (Lease lease = registry.lease(CHANGE_LEASE, "registry promote")) {
                String before = registry.champion().orElse("none");
                ChampionPointer now = registry.promote(version, "promoted by hand by " + lease.info().owner());
                System.out.println("champion: " + now.version() + " (was " + before + ")");
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Steps back one champion in the history: the champion before the current one is champion again, "
                    + "and rolling back again goes further back (takes the registry's lease; exit 6 if a retrain holds it).")
    static final class Rollback implements Callable<Integer> {
        @Mixin
        Target target;

        @Override
        public Integer call() {
            Registry registry = target.open();
            try (Lease lease = registry.lease(CHANGE_LEASE, "registry rollback")) {
                String before = registry.champion().orElse("none");
                ChampionPointer now = registry.rollback("rolled back by hand by " + lease.info().owner());
                System.out.println("champion: " + now.version() + " (was " + before + ")");
            }
            return ExitCodes.OK;
        }
    }
}
