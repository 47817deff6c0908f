package io.recur.registry;

import io.recur.config.EnumNames;
import com.fasterxml.jackson.annotation.JsonProperty;

/** What became of a version when it was published. */
public enum Outcome {
    /** Made champion when published. */
    @JsonProperty("promoted") PROMOTED,
    /** Complete model, but worse than the champion by more than the tolerance; the champion stayed. */
    @JsonProperty("rejected") REJECTED,
    /** Training failed (diverged): the version holds only its lineage, no model. */
    @JsonProperty("failed") FAILED;

    public String label() {
        return EnumNames.label(this);
    }
}
