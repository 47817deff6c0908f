package io.recur.job;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Why the cluster took executors away from this process's Spark contexts, in the words of its
 * manager ("Container killed by YARN for exceeding physical memory limits. ..."). A failed job
 * carries that reason only when a task was running on the executor; YARN may kill a container
 * between two tasks, failing none, and a job that fails later for another cause (the cluster
 * ending the application, a stopped context) names no kill, so the exit message reads them here.
 */
public final class ExecutorLosses extends SparkListener {
    private static final ConcurrentLinkedQueue<String> REASONS = new ConcurrentLinkedQueue<>();

    private ExecutorLosses() {}

    static void watch(JavaSparkContext sc) {
        sc.sc().addSparkListener(new ExecutorLosses());
    }

    @Override
    public void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
        if (removed.reason() != null) REASONS.add(removed.reason());
    }

    /** Every reason given so far, oldest first. */
    public static List<String> reasons() {
        return List.copyOf(REASONS);
    }
}
