package io.recur.spark.ml;

import org.apache.spark.ml.param.Param;

/** Declares a column parameter with its default on a stage: an estimator and its model declare the same ones. */
@FunctionalInterface
interface ColumnDeclarer {
    Param<String> column(String name, String doc, String defaultName);
}
