package io.recur.config;

import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

/** The config package cannot use Spark, so it lists storage level names itself; Spark must accept them all. */
@DisplayName("TrainSpec.STORAGE_LEVELS")
class StorageLevelNamesTest {
    @Test
    void areAllAcceptedBySparksStorageLevelFromString() {
        assertAll(TrainSpec.STORAGE_LEVELS.stream()
                .map(name -> () -> assertDoesNotThrow(() -> StorageLevel.fromString(name), name)));
    }
}
