package io.recur.report;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The 95% t-interval over seeds, checked against printed t tables and hand arithmetic. */
@DisplayName("SeedInterval")
class SeedIntervalTest {
    @ParameterizedTest(name = "t(0.975, {0}) = {1}")
    @CsvSource({"1, 12.7062", "2, 4.3027", "3, 3.1824", "4, 2.7764", "9, 2.2622", "30, 2.0423", "1000, 1.9623"})
    void tQuantileMatchesThePrintedTable(int df, double expected) {
        assertEquals(expected, SeedInterval.tQuantile975(df), 5e-5);
    }

    @Test
    void threeSeedsGiveTheMeanPlusMinusTTimesTheStandardError() {
        SeedInterval i = SeedInterval.of(List.of(1.0, 2.0, 3.0));
        assertEquals(2.0, i.mean(), 1e-12);
        assertEquals(1.0, i.sd(), 1e-12);
        // 4.302653 * 1 / sqrt(3) = 2.484138
        assertEquals(2.0 - 2.484138, i.low(), 1e-5);
        assertEquals(2.0 + 2.484138, i.high(), 1e-5);
    }

    @Test
    void identicalValuesGiveAnIntervalOfZeroWidth() {
        SeedInterval i = SeedInterval.of(List.of(0.9, 0.9));
        assertEquals(0.9, i.low(), 1e-12);
        assertEquals(0.9, i.high(), 1e-12);
    }

    @Test
    void oneSeedHasAMeanButNoInterval() {
        SeedInterval i = SeedInterval.of(List.of(0.5));
        assertEquals(0.5, i.mean());
        assertFalse(i.hasInterval());
        assertTrue(Double.isNaN(i.low()) && Double.isNaN(i.high()));
    }

    @Test
    void intervalsThatOverlapAreNotApart() {
        SeedInterval a = SeedInterval.of(List.of(0.90, 0.92, 0.94));
        SeedInterval b = SeedInterval.of(List.of(0.93, 0.95, 0.97));
        assertFalse(b.betterApartFrom(a, false));
        assertFalse(a.betterApartFrom(b, true));
    }

    @Test
    void disjointIntervalsAreApartOnlyInTheBetterDirection() {
        SeedInterval low = SeedInterval.of(List.of(0.010, 0.011, 0.012));
        SeedInterval high = SeedInterval.of(List.of(0.160, 0.170, 0.165));
        assertTrue(low.betterApartFrom(high, true));
        assertFalse(high.betterApartFrom(low, true));
        assertTrue(high.betterApartFrom(low, false));
    }

    @Test
    void oneSeedNeverWinsEvenFarFromTheOther() {
        assertFalse(SeedInterval.of(List.of(0.01)).betterApartFrom(SeedInterval.of(List.of(0.17, 0.18)), true));
    }

    @Test
    void aPointBaselineIsBeatenByAnIntervalWhollyBeyondIt() {
        SeedInterval model = SeedInterval.of(List.of(0.95, 0.96, 0.97));
        assertTrue(model.betterApartFrom(SeedInterval.of(List.of(0.87)), false));
        assertFalse(model.betterApartFrom(SeedInterval.of(List.of(0.94)), false), "the interval reaches below 0.94");
    }
}
