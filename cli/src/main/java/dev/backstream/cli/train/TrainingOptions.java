package dev.backstream.cli.train;

import dev.backstream.cli.UserException;
import dev.backstream.common.data.DatasetName;
import dev.backstream.common.nn.Activation;
import dev.backstream.coordinator.training.TrainingSettings;
import picocli.CommandLine.Option;

/** The options that decide the trained model, shared by {@code train} and {@code coordinator}. */
public final class TrainingOptions {
  @Option(names = "--steps", defaultValue = "${env:BACKSTREAM_STEPS:-10000}",
      description = "SGD steps (default: ${DEFAULT-VALUE}; env BACKSTREAM_STEPS).")
  int steps;

  @Option(names = "--batch", defaultValue = "${env:BACKSTREAM_BATCH:-100}",
      description = "Samples per step (default: ${DEFAULT-VALUE}; env BACKSTREAM_BATCH).")
  int batch;

  @Option(names = "--lr", defaultValue = "${env:BACKSTREAM_LR:-0.1}",
      description = "Learning rate (default: ${DEFAULT-VALUE}; env BACKSTREAM_LR).")
  double learningRate;

  @Option(names = "--hidden", defaultValue = "${env:BACKSTREAM_HIDDEN:-50}",
      description = "Hidden units (default: ${DEFAULT-VALUE}; env BACKSTREAM_HIDDEN).")
  int hidden;

  @Option(names = "--activation", defaultValue = "${env:BACKSTREAM_ACTIVATION:-relu}",
      description = "Hidden activation: relu or sigmoid (default: ${DEFAULT-VALUE}).")
  String activation;

  @Option(names = "--seed", defaultValue = "${env:BACKSTREAM_SEED:-0}",
      description = "Seeds the initial weights and every batch (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--shards", defaultValue = "${env:BACKSTREAM_SHARDS:-4}",
      description = "Pieces each batch is cut into; part of the model's identity, not the worker "
          + "count (default: ${DEFAULT-VALUE}; env BACKSTREAM_SHARDS).")
  int shards;

  /**
   * The validated settings.
   *
   * @throws UserException (exit 2) naming the bad value
   */
  public TrainingSettings toSettings(DatasetName dataset) {
    try {
      return new TrainingSettings(
          dataset, steps, batch, learningRate, hidden, Activation.parse(activation), seed, shards,
          TrainingSettings.DEFAULT_WEIGHT_INIT_STD);
    } catch (IllegalArgumentException e) {
      throw UserException.usage(e.getMessage());
    }
  }
}
