/**
 * The live page ({@code --http PORT}): a small HTTP server in the training process with a
 * self-contained page of the run's curves, its state as JSON and Prometheus' {@code /metrics}.
 */
package dev.backstream.cli.live;
