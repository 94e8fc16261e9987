package dev.backstream.coordinator.training;

import dev.backstream.common.nn.Parameters;
import dev.backstream.common.protocol.RunSpec;

/**
 * The outcome of a run.
 *
 * @param settings what was trained
 * @param steps steps done
 * @param trainAccuracy final accuracy over the full training set
 * @param testAccuracy final accuracy over the full test set
 * @param loss mean per-sample training loss over the last epoch's batches
 * @param wallSeconds wall time of the run, evaluation included
 * @param stepsPerSecond steps divided by wall time
 * @param paramsSha256 SHA-256 of the final parameters' little-endian bytes
 * @param cluster the distributed run's counters at the end ({@link ClusterStats#LOCAL} locally)
 * @param params the final parameters (the ones {@code paramsSha256} names), copied in and out so
 *     that the summary stays what the run ended on
 */
public record TrainingSummary(
    RunSpec settings,
    long steps,
    double trainAccuracy,
    double testAccuracy,
    double loss,
    double wallSeconds,
    double stepsPerSecond,
    String paramsSha256,
    ClusterStats cluster,
    Parameters params) {

  /** Takes its own copy of the parameters: the trainer's live ones may change afterwards. */
  public TrainingSummary {
    params = params.copy();
  }

  /** A copy of the final parameters. */
  @Override
  public Parameters params() {
    return params.copy();
  }
}
