package io.recur.config;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;

@DisplayName("EnumNames")
class EnumNamesTest {
    private final Locale before = Locale.getDefault();

    @AfterEach
    void restoreLocale() {
        Locale.setDefault(before);
    }

    @Test
    void spellsAConstantInKebabCase() {
        assertEquals("sequence-copy", EnumNames.label(Task.SEQUENCE_COPY));
    }

    @Test
    void spellsTheSameUnderATurkishDefaultLocale() {
        // Turkish lower-cases I to dotless ı: a locale-sensitive spelling would write "classıfy".
        Locale.setDefault(Locale.forLanguageTag("tr-TR"));
        assertEquals("classify", EnumNames.label(Task.CLASSIFY));
    }
}
