package io.recur.config;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.Optional;

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

    @Test
    void parsesALabelWhateverItsCaseAndSurroundingBlanks() {
        assertEquals(Optional.of(Task.SEQUENCE_COPY), EnumNames.parse(Task.class, " Sequence-Copy "));
    }

    @Test
    void parsesTheSameUnderATurkishDefaultLocale() {
        // Upper-casing "classify" in Turkish gives "CLASSİFY", which no constant is named.
        Locale.setDefault(Locale.forLanguageTag("tr-TR"));
        assertEquals(Optional.of(Task.CLASSIFY), EnumNames.parse(Task.class, "classify"));
    }

    @Test
    void parsesNoConstantFromAnUnknownName() {
        assertEquals(Optional.empty(), EnumNames.parse(Cell.class, "lsmt"));
    }
}
