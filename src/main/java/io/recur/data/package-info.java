/**
 * A training job's data: read from a corpus ({@link io.recur.data.CorpusData}) or generated for a
 * synthetic task, encoded into minibatches balanced over the workers and persisted
 * ({@link io.recur.data.PreparedData}, the one factory), with the warm-start decision that chose
 * the vocabulary and labels ({@link io.recur.data.WarmStart}).
 */
package io.recur.data;
