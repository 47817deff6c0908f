package io.recur.report;

import java.util.Locale;

/** Text and numbers as HTML: every string from a corpus, spec or metric passes through here. */
final class Html {
    private Html() {}

    /** Escapes for element content and double- or single-quoted attribute values. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Integers with thousands separators, other numbers with four decimals (enough to tell runs
     * apart, and what {@code metrics.json} values are compared at), NaN and infinities by name.
     */
    static String number(Number n) {
        if (n == null) return "–";
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte)
            return String.format(Locale.ROOT, "%,d", n.longValue());
        double d = n.doubleValue();
        if (Double.isNaN(d)) return "NaN";
        if (Double.isInfinite(d)) return d > 0 ? "∞" : "−∞";
        return String.format(Locale.ROOT, "%,.4f", d);
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
    }
}
