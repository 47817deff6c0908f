package io.recur.config;

import java.util.Locale;

/** The one spelling of an enum constant in job specs, metrics and messages: kebab-case, whatever the default locale. */
public final class EnumNames {
    private EnumNames() {}

    /** {@code SEQUENCE_COPY} as {@code sequence-copy}; {@link Locale#ROOT}, so a Turkish locale still writes {@code classify}. */
    public static String label(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
