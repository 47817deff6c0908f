package io.recur.config;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("the Spark master URL check")
class SparkMasterTest {
    @ParameterizedTest
    @ValueSource(strings = {"local", "local[1]", "local[*]", "local[4,2]", "local[*, 3]", "local-cluster[2,1,1024]",
            "spark://master:7077", "spark://a.example.com:7077,b.example.com:7077", "spark://[::1]:7077", "yarn",
            "k8s://https://cluster:6443", "mesos://zk://host:2181/mesos"})
    void acceptsAUrlSparkCanStartWith(String master) {
        assertEquals(java.util.Optional.empty(), SparkSpec.masterProblem(master));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bogus", "local[0]", "local[-1]", "local[two]", "local[2,0]", "spark://", "spark://host",
            "spark://:7077", "spark://host:0", "spark://host:70000", "spark://a:1,", "k8s://", "local-cluster[0,1,1024]", " "})
    void refusesAUrlSparkCannotStartWith(String master) {
        assertTrue(SparkSpec.masterProblem(master).isPresent(), master);
    }

    @ParameterizedTest
    @ValueSource(strings = {"local[0]", "local[-1]"})
    void saysALocalMasterNeedsAThread(String master) {
        String problem = SparkSpec.masterProblem(master).orElseThrow();
        assertTrue(problem.contains("local[N] with N >= 1") || problem.contains("expected one of"), problem);
    }
}
