/**
 * The tasks a network learns (classify, language model, tag, the adding problem, copy memory), each
 * one class that owns everything that differs between tasks: the labels it reads, its target
 * encoding, output layer and scoring, its metrics and headline, its baseline, its report sections
 * and its predict output. {@code config.Task} is the spec's name for a task; {@link
 * io.recur.task.TaskKind#of} maps each name to its class.
 */
package io.recur.task;
