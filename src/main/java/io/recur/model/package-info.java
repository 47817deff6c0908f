/**
 * Network construction from a {@link io.recur.config.ModelSpec} and the recurrent cells. The only
 * place that calls DL4J's configuration builders. No Spark here.
 */
package io.recur.model;
