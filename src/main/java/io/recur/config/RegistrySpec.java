package io.recur.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;

/**
 * Where {@code recur retrain} keeps the versions of a model and how it manages them ({@code registry.*}).
 *
 * @param dir            Hadoop URI or path of the registry root; empty when the spec names none
 *                       (only {@code retrain} needs one)
 * @param model          the model's directory name inside the registry
 * @param keepVersions   retention: the newest this many versions are kept, besides every champion
 * @param leaseSeconds   the lease's term: a lease neither released nor renewed for this long is stale
 * @param tolerance      a challenger is promoted unless its held-out metric is worse than the
 *                       champion's by more than this, in the metric's own units
 */
public record RegistrySpec(String dir, String model, int keepVersions, long leaseSeconds, double tolerance) {
    static final int MAX_KEEP_VERSIONS = 1_000_000;

    public RegistrySpec {
        if (dir == null) {
            throw new IllegalArgumentException("dir must not be null; use \"\" for none");
        }
        if (model == null || !JobSpec.NAME.matcher(model).matches()) {
            throw new IllegalArgumentException("model must match " + JobSpec.NAME + ", was '" + model + "'");
        }
        if (keepVersions < 1 || leaseSeconds < 1 || !(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new IllegalArgumentException("keepVersions and leaseSeconds must be >= 1 and tolerance finite"
                    + " and >= 0, were " + keepVersions + ", " + leaseSeconds + ", " + tolerance);
        }
    }

    /** Reads {@code registry.*} of a resolved job spec. */
    static RegistrySpec from(Config root) {
        SpecReader r = new SpecReader(root);
        ConfigValue dir = r.valueOrNull("registry.dir");
        String dirText = dir == null || dir.unwrapped() == null ? "" : String.valueOf(dir.unwrapped()).trim();
        return new RegistrySpec(dirText,
                r.matching("registry.model", JobSpec.NAME, JobSpec.NAME_RULE),
                r.wholeInt("registry.keep-versions", 1, MAX_KEEP_VERSIONS),
                r.whole("registry.lease-seconds", 1, Long.MAX_VALUE / 1000),
                r.decimal("registry.tolerance", t -> t >= 0, "a number >= 0"));
    }

    /** Whether the spec names a registry at all. */
    public boolean configured() {
        return !dir.isEmpty();
    }
}
