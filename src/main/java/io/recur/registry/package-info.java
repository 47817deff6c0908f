/**
 * The model registry of scheduled retraining: numbered versions with their lineage, the champion
 * pointer, retention, the lease that keeps two retrains apart, and the corpus fingerprint that
 * tells whether there is anything to retrain. File system only (any Hadoop file system); no Spark.
 */
package io.recur.registry;
