package io.recur.cli;

import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/** One-line renderings of metrics for the terminal. */
final class Summaries {
    private Summaries() {}

    @SuppressWarnings("unchecked")
    static String headline(Map<String, Object> metrics) {
        Map<String, Object> heldOut = (Map<String, Object>) metrics.get("heldOut");
        Map<String, Object> baseline = (Map<String, Object>) metrics.get("baseline");
        StringJoiner line = new StringJoiner("  ");
        for (String name : new String[]{"accuracy", "tokenAccuracy", "unseenTokenAccuracy", "macroF1",
                "perplexity", "bitsPerToken", "mse", "recallAccuracy"}) {
            if (heldOut.get(name) == null) continue;
            line.add(String.format(Locale.ROOT, "%s %.4f (baseline %.4f)", name,
                    ((Number) heldOut.get(name)).doubleValue(), ((Number) baseline.get(name)).doubleValue()));
        }
        // Copy memory's headline is its cross-entropy, which the corpus tasks only show in metrics.json.
        if (heldOut.containsKey("recallAccuracy"))
            line.add(String.format(Locale.ROOT, "crossEntropy %.4f (baseline %.4f)",
                    ((Number) heldOut.get("crossEntropy")).doubleValue(), ((Number) baseline.get("crossEntropy")).doubleValue()));
        return line.toString();
    }
}
