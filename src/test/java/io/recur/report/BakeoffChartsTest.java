package io.recur.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.Color;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import io.recur.config.Cell;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("BakeoffCharts")
class BakeoffChartsTest {
    @Test
    void givesEveryCellItsOwnColour() {
        Set<Color> colours = Arrays.stream(Cell.values()).map(c -> BakeoffCharts.color(c.id())).collect(Collectors.toSet());
        assertEquals(Cell.values().length, colours.size(), "one distinct colour per cell");
    }
}
