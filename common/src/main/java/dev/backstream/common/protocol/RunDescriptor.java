package dev.backstream.common.protocol;

import java.util.Objects;

/**
 * The settings that define a run, so every process and every reader of a checkpoint agrees on
 * what is being trained. Two runs with equal descriptors produce bit-identical parameters.
 *
 * @param run the run name
 * @param dataset the dataset name, e.g. {@code mnist}
 * @param steps the number of SGD steps, at least 0
 * @param batch the global batch size, at least 1
 * @param lr the learning rate, finite and above 0
 * @param hidden the hidden layer width, at least 1
 * @param activation the hidden activation, e.g. {@code relu}
 * @param seed the seed of the initial weights and of every step's batch
 * @param shards the shard count S, in [1, batch]
 * @param version the backstream version that started the run
 */
public record RunDescriptor(
    String run,
    String dataset,
    long steps,
    int batch,
    double lr,
    int hidden,
    String activation,
    long seed,
    int shards,
    String version) {

  /**
   * Validates the settings.
   *
   * @throws NullPointerException if a text field is null
   * @throws IllegalArgumentException if a number is out of range; the message names it
   */
  public RunDescriptor {
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(activation, "activation");
    Objects.requireNonNull(version, "version");
    StepFrame.requireAtLeast("steps", steps, 0);
    StepFrame.requireAtLeast("batch", batch, 1);
    StepFrame.requireAtLeast("hidden", hidden, 1);
    if (!(lr > 0) || !Double.isFinite(lr)) {
      throw new IllegalArgumentException("Invalid value " + lr + " for lr: must be finite and above 0");
    }
    if (shards < 1 || shards > batch) {
      throw new IllegalArgumentException("Invalid value " + shards
          + " for shards: must be in [1, " + batch + "] (the batch size)");
    }
  }

  /** Returns this record as one line of JSON. */
  public String toJson() {
    return Json.write(this);
  }

  /**
   * Reads a record from JSON; unknown fields are ignored.
   *
   * @param json the JSON text
   * @return the record
   * @throws MalformedJsonException if the text is not a valid run descriptor
   */
  public static RunDescriptor fromJson(String json) {
    return Json.read(json, RunDescriptor.class);
  }
}
