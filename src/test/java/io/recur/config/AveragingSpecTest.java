package io.recur.config;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("AveragingSpec")
class AveragingSpecTest {
    private static AveragingSpec load(String... overrides) {
        return JobSpecLoader.load(Path.of("jobs/default.conf"), List.of(overrides)).train().averaging();
    }

    @Nested
    @DisplayName("read from train.*")
    class Keys {
        @Test
        void readsAutoBlockMomentumAsOneMinusOneOverTheWorkers() {
            AveragingSpec a = load("train.block-momentum=auto");
            assertEquals(0.75, a.blockMomentum(4), 1e-12);
            assertEquals(0.0, a.blockMomentum(1), 1e-12);
        }

        @Test
        void readsANumericBlockMomentumAsGivenForAnyWorkers() {
            assertEquals(0.3, load("train.block-momentum=0.3").blockMomentum(8), 1e-12);
        }

        @Test
        void readsEveryLever() {
            AveragingSpec a = load("train.block-learning-rate=1.5", "train.learning-rate-scaling=sqrt",
                    "train.warmup-epochs=0.5", "train.average-updater-state=false", "train.block-momentum-nesterov=true");
            assertEquals(1.5, a.blockLearningRate());
            assertEquals(LearningRateScaling.SQRT, a.learningRateScaling());
            assertEquals(0.5, a.warmupEpochs());
            assertTrue(a.nesterov());
            assertFalse(a.averageUpdaterState());
        }

        @Test
        void rejectsBlockMomentumOfOneNamingTheKeyAndTheRange() {
            SpecException e = assertThrows(SpecException.class, () -> load("train.block-momentum=1"));
            assertTrue(e.getMessage().contains("train.block-momentum") && e.getMessage().contains("[0, 1)"), e.getMessage());
        }

        @Test
        void rejectsAWordOtherThanAutoNamingTheAllowedValues() {
            SpecException e = assertThrows(SpecException.class, () -> load("train.block-momentum=fast"));
            assertTrue(e.getMessage().contains("train.block-momentum") && e.getMessage().contains("auto or"), e.getMessage());
        }

        @Test
        void readsTheMaxLearningRateFactorNoneAsNoLimit() {
            assertEquals(64, load("train.max-learning-rate-factor=none").learningRateFactor(64), 1e-12);
        }

        @Test
        void rejectsAMaxLearningRateFactorBelowOneNamingTheKey() {
            SpecException e = assertThrows(SpecException.class, () -> load("train.max-learning-rate-factor=0.5"));
            assertTrue(e.getMessage().contains("train.max-learning-rate-factor") && e.getMessage().contains(">= 1"), e.getMessage());
        }

        @Test
        void rejectsAZeroBlockLearningRate() {
            SpecException e = assertThrows(SpecException.class, () -> load("train.block-learning-rate=0"));
            assertTrue(e.getMessage().contains("train.block-learning-rate"), e.getMessage());
        }

        @Test
        void rejectsAnUnknownScaling() {
            SpecException e = assertThrows(SpecException.class, () -> load("train.learning-rate-scaling=cubic"));
            assertTrue(e.getMessage().contains("none, linear, sqrt"), e.getMessage());
        }

        @Test
        void rejectsNegativeWarmupEpochs() {
            SpecException e = assertThrows(SpecException.class, () -> load("train.warmup-epochs=-0.5"));
            assertTrue(e.getMessage().contains("train.warmup-epochs") && e.getMessage().contains(">= 0"), e.getMessage());
        }

        @Test
        void rejectsANesterovFlagThatIsNotABoolean() {
            SpecException e = assertThrows(SpecException.class, () -> load("train.block-momentum-nesterov=maybe"));
            assertTrue(e.getMessage().contains("train.block-momentum-nesterov"), e.getMessage());
        }
    }

    @Nested
    @DisplayName("learning rate of a round")
    class Rate {
        private final AveragingSpec linearWarmup = new AveragingSpec(OptionalDouble.of(0), 1, false,
                LearningRateScaling.LINEAR, OptionalDouble.empty(), 2, true);

        @Test
        void risesLinearlyOverTheWarmupEpochs() {
            assertEquals(0.01 * (1 + 7 * 0.25 / 2), linearWarmup.learningRate(0.01, 8, 0.25), 1e-12);
            assertEquals(0.01 * (1 + 7 * 1.5 / 2), linearWarmup.learningRate(0.01, 8, 1.5), 1e-12);
        }

        @Test
        void warmsUpOverTheSameEpochsForAnyNumberOfWorkers() {
            // Half-way through the warm-up, half of the extra factor, whatever k is.
            assertEquals(0.01 * 2.5, linearWarmup.learningRate(0.01, 4, 1.0), 1e-12);
            assertEquals(0.01 * 8.5, linearWarmup.learningRate(0.01, 16, 1.0), 1e-12);
        }

        @Test
        void staysAtTheScaledRateAfterTheWarmup() {
            assertEquals(0.08, linearWarmup.learningRate(0.01, 8, 2), 1e-12);
            assertEquals(0.08, linearWarmup.learningRate(0.01, 8, 40), 1e-12);
        }

        @Test
        void scalesBySquareRoot() {
            AveragingSpec sqrt = new AveragingSpec(OptionalDouble.of(0), 1, false, LearningRateScaling.SQRT, OptionalDouble.empty(), 0, true);
            assertEquals(0.04, sqrt.learningRate(0.01, 16, 0.1), 1e-12);
        }

        @Test
        void capsTheFactorAtTheMaxLearningRateFactor() {
            AveragingSpec capped = new AveragingSpec(OptionalDouble.of(0), 1, false, LearningRateScaling.LINEAR,
                    OptionalDouble.of(8), 0, true);
            assertEquals(0.08, capped.learningRate(0.01, 16, 1), 1e-12);
            assertEquals(0.04, capped.learningRate(0.01, 4, 1), 1e-12);
        }

        @Test
        void warmsUpToTheCappedFactor() {
            AveragingSpec capped = new AveragingSpec(OptionalDouble.of(0), 1, false, LearningRateScaling.LINEAR,
                    OptionalDouble.of(8), 2, true);
            assertEquals(0.01 * (1 + 7 * 0.5), capped.learningRate(0.01, 16, 1), 1e-12);
        }

        @Test
        void keepsTheBaseRateForOneWorker() {
            assertEquals(0.01, linearWarmup.learningRate(0.01, 1, 0), 1e-12);
        }
    }

    @Test
    void rejectsBlockMomentumOutsideTheUnitInterval() {
        assertThrows(IllegalArgumentException.class,
                () -> new AveragingSpec(OptionalDouble.of(-0.1), 1, false, LearningRateScaling.NONE, OptionalDouble.empty(), 0, true));
    }
}
