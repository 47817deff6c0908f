/**
 * The run report: one self-contained {@code report.html} per run (inline CSS, charts as PNG data
 * URIs, no scripts, no network) drawn from what the training job already wrote: metrics, training
 * log, resolved spec, provenance and, for language models, generated samples. Sits beside
 * {@code train} and {@code eval}: it reads their records and is used only by {@code job}.
 */
package io.recur.report;
