package io.recur.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * What a bake-off compares ({@code bakeoff.*} of a job spec, or {@code --cells}, {@code --sweep} and
 * {@code --seeds} on the command line): the job is trained once per cell, per value of the swept
 * key and per seed.
 *
 * @param cells the cells to compare, in the order given, without repeats; never empty
 * @param sweep the swept key and its values; null when only the cells are compared
 * @param seeds how many seeds each member runs with: job.seed, job.seed + 1, ...; at least 1
 */
public record BakeoffSpec(List<Cell> cells, Sweep sweep, int seeds) {
    /** Keys a sweep may not change: the bake-off sets them itself, or they would move the output. */
    static final List<String> RESERVED = List.of("model.cell", "model.hidden-size", "job.seed", "job.name", "output.dir");
    /** More seeds than this is a typo, not a bake-off (each seed is a full run of every member). */
    static final int MAX_SEEDS = 100;

    public BakeoffSpec {
        cells = List.copyOf(cells);
        if (cells.isEmpty()) throw new IllegalArgumentException("cells must not be empty");
        if (new LinkedHashSet<>(cells).size() != cells.size())
            throw new IllegalArgumentException("cells must not repeat, were " + cells);
        if (seeds < 1 || seeds > MAX_SEEDS)
            throw new IllegalArgumentException("seeds must be in [1, " + MAX_SEEDS + "], was " + seeds);
    }

    /**
     * A key and the values it takes, each written as a {@code --set} value would be.
     *
     * @param origin where the sweep was given ({@code --sweep} or {@code file:line}), for messages
     */
    public record Sweep(String key, List<String> values, String origin) {
        public Sweep {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(origin, "origin");
            values = List.copyOf(values);
            if (values.isEmpty()) throw new IllegalArgumentException("values must not be empty");
        }

        /** The {@code --set} override that gives {@code key} its {@code i}-th value. */
        public String override(int i) {
            return key + "=" + values.get(i);
        }

        /** The last segment of the key ({@code steps} for {@code synthetic.steps}), for short names. */
        public String shortKey() {
            return key.substring(key.lastIndexOf('.') + 1);
        }
    }

    public BakeoffSpec withCells(List<Cell> newCells) {
        return new BakeoffSpec(newCells, sweep, seeds);
    }

    public BakeoffSpec withSweep(Sweep newSweep) {
        return new BakeoffSpec(cells, newSweep, seeds);
    }

    /**
     * {@code --seeds N} in place of {@code bakeoff.seeds}.
     *
     * @throws UserInputException naming {@code --seeds} and the allowed range
     */
    public BakeoffSpec withSeeds(int newSeeds) {
        if (newSeeds < 1 || newSeeds > MAX_SEEDS)
            throw new UserInputException("--seeds " + newSeeds + ": expected a whole number in [1, " + MAX_SEEDS
                    + "], the number of seeds each member runs with (3 gives a 95% interval)");
        return new BakeoffSpec(cells, sweep, newSeeds);
    }

    /**
     * Parses {@code --cells}: cell names separated by commas ({@code rnn,lstm,gru}).
     *
     * @throws UserInputException naming {@code --cells} and the allowed names
     */
    public static List<Cell> parseCells(String text) {
        List<Cell> cells = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String name = part.trim();
            Cell cell = Cell.byId(name).orElseThrow(() -> new UserInputException("--cells " + text + ": '" + name
                    + "' is not a cell; expected a comma-separated list of " + Cell.ids()));
            if (cells.contains(cell))
                throw new UserInputException("--cells " + text + ": " + name + " is listed twice; list each cell once");
            cells.add(cell);
        }
        return cells;
    }

    /**
     * Parses {@code --sweep key=v1,v2,...}. The key is checked against the known job keys here;
     * each value is checked when the member specs are loaded.
     *
     * @throws UserInputException naming {@code --sweep} and the key
     */
    public static Sweep parseSweep(String text) {
        int eq = text.indexOf('=');
        if (eq <= 0)
            throw new UserInputException("--sweep " + text + ": expected KEY=V1,V2,..., e.g. --sweep synthetic.steps=10,50,100");
        String key = text.substring(0, eq).trim();
        List<String> values = new ArrayList<>();
        for (String v : text.substring(eq + 1).split(",", -1)) {
            if (v.isBlank())
                throw new UserInputException("--sweep " + text + ": " + key + " has an empty value; write the values"
                        + " separated by single commas, e.g. --sweep " + key + "=1,2,3");
            values.add(v.trim());
        }
        checkKey(key, "--sweep " + text);
        return new Sweep(key, values, "--sweep");
    }

    /** Reads {@code bakeoff.*} of a resolved job spec. */
    static BakeoffSpec from(Config root) {
        SpecReader r = new SpecReader(root);
        ConfigValue cellsValue = r.valueOrNull("bakeoff.cells");
        List<Cell> cells = new ArrayList<>();
        if (!(cellsValue instanceof ConfigList list) || list.isEmpty())
            throw r.bad("bakeoff.cells", cellsValue, "expected a non-empty list of " + Cell.ids());
        for (ConfigValue element : list) {
            String name = String.valueOf(element.unwrapped());
            Cell cell = Cell.byId(name).orElseThrow(() -> r.bad("bakeoff.cells", cellsValue, "'" + name
                    + "' is not a cell; allowed: " + Cell.ids()));
            if (cells.contains(cell))
                throw r.bad("bakeoff.cells", cellsValue, name + " is listed twice");
            cells.add(cell);
        }
        int seeds = r.wholeInt("bakeoff.seeds", 1, MAX_SEEDS);
        String key = root.getString("bakeoff.sweep.key").trim();
        ConfigValue valuesValue = r.valueOrNull("bakeoff.sweep.values");
        if (!(valuesValue instanceof ConfigList values))
            throw r.bad("bakeoff.sweep.values", valuesValue, "expected a list of values, e.g. [10, 50, 100]");
        if (key.isEmpty() != values.isEmpty())
            throw r.bad("bakeoff.sweep.key", r.valueOrNull("bakeoff.sweep.key"), "bakeoff.sweep.key and"
                    + " bakeoff.sweep.values go together: set both (key = \"synthetic.steps\", values = [10, 50])"
                    + " or neither");
        if (key.isEmpty()) return new BakeoffSpec(cells, null, seeds);
        String where = r.where("bakeoff.sweep.key");
        checkKey(key, where + ": bakeoff.sweep.key = " + key);
        List<String> texts = new ArrayList<>();
        for (ConfigValue v : values) {
            if (v.valueType() == ConfigValueType.OBJECT || v.valueType() == ConfigValueType.NULL)
                throw r.bad("bakeoff.sweep.values", valuesValue, "expected numbers, strings or lists, not "
                        + SpecReader.render(v));
            texts.add(v.valueType() == ConfigValueType.STRING || v.valueType() == ConfigValueType.NUMBER
                    || v.valueType() == ConfigValueType.BOOLEAN
                    ? String.valueOf(v.unwrapped()) : SpecReader.render(v));
        }
        return new BakeoffSpec(cells, new Sweep(key, texts, where), seeds);
    }

    private static void checkKey(String key, String where) {
        if (RESERVED.contains(key))
            throw new UserInputException(where + ": " + key + " cannot be swept: "
                    + (key.startsWith("model.") ? "the bake-off sets model.cell and model.hidden-size itself"
                    + " (list cells with --cells; the job's hidden size applies to lstm)"
                    : key.equals("job.seed") ? "the bake-off runs every member with job.seed, job.seed + 1, ..."
                    + " itself; set how many with bakeoff.seeds or --seeds"
                    : "all members of a bake-off share one job name and output directory"));
        if (key.startsWith("bakeoff."))
            throw new UserInputException(where + ": " + key + " cannot be swept; a bake-off does not nest");
        if (!JobSpecLoader.knownKeys().contains(key))
            throw new UserInputException(where + ": " + key + " is not a job spec key"
                    + JobSpecLoader.suggestion(key).map(s -> "; did you mean " + s + "?").orElse("")
                    + " (docs/job-spec.md lists them all)");
    }
}
