/**
 * Option groups that several commands share as picocli mixins: the dataset, the training settings,
 * Kafka (with its {@code --kafka-config} file) and checkpoints. Each checks its own values and
 * refuses a bad one with a line naming it.
 */
package dev.backstream.cli.options;
