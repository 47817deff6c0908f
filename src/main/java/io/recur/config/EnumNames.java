package io.recur.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The one spelling of an enum constant in job specs, metrics and messages: kebab-case, whatever the default locale. */
public final class EnumNames {
    private EnumNames() {}

    /** {@code SEQUENCE_COPY} as {@code sequence-copy}; {@link Locale#ROOT}, so a Turkish locale still writes {@code classify}. */
    public static String label(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The constant of {@code type} whose {@link #label} is {@code text}, ignoring case and surrounding blanks. */
    public static <E extends Enum<E>> Optional<E> parse(Class<E> type, String text) {
        String wanted = text.trim();
        return Arrays.stream(type.getEnumConstants()).filter(c -> label(c).equalsIgnoreCase(wanted)).findFirst();
    }
}
