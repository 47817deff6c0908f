/**
 * Export of a trained run to portable formats: ONNX (the graph with ONNX's own recurrent operators)
 * and the JSON files a caller needs to feed it (vocabulary, labels, tokenizer settings, signature).
 * Reads a loaded {@code io.recur.run.SavedRun}; no Spark here.
 */
package io.recur.export;
