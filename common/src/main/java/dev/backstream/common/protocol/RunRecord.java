package dev.backstream.common.protocol;

import java.util.Objects;

/**
 * A run's settings, the first line of its metrics, so that a report made from the metrics alone
 * can say what was trained. A coordinator that takes over a run sends it again.
 *
 * @param run the run name
 * @param mode how the run is computed: {@code kafka} (coordinator and workers) or {@code local}
 * @param dataset the dataset name, e.g. {@code mnist}
 * @param steps SGD steps of the whole run
 * @param batch samples per step
 * @param learningRate SGD step size
 * @param hidden hidden units
 * @param activation the hidden activation, e.g. {@code relu}
 * @param seed the seed of the initial weights and of every step's batch
 * @param shards pieces each batch is cut into
 * @param weightInitStd standard deviation of the initial weights
 * @param stepsPerEpoch steps of one pass over the training set
 * @param timestamp when the record was made, milliseconds since the Unix epoch
 */
public record RunRecord(
    String run,
    String mode,
    String dataset,
    long steps,
    int batch,
    double learningRate,
    int hidden,
    String activation,
    long seed,
    int shards,
    double weightInitStd,
    long stepsPerEpoch,
    long timestamp) implements MetricsLine {

  /** The {@code "type"} of a run line. */
  public static final String TYPE = "run";

  /**
   * Checks the run name only: a reader takes what a writer recorded.
   *
   * @throws NullPointerException if {@code run} is null
   */
  public RunRecord {
    Objects.requireNonNull(run, "run");
  }

  @Override
  public String type() {
    return TYPE;
  }
}
