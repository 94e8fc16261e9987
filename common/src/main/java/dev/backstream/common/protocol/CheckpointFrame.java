package dev.backstream.common.protocol;

import java.nio.DoubleBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * The model of a run at a step, as the coordinator writes it to the compacted checkpoints topic:
 * enough to resume the run (the batch of every later step follows from the seed) or to export the
 * model.
 *
 * <p>Immutable: {@code params} is copied in and {@link #params()} returns a copy; use
 * {@link #paramsView()} to read without copying.
 *
 * @param run the run name
 * @param generation the generation of the coordinator that wrote it, at least 0
 * @param step the steps done; {@code params} are the parameters after them, at least 0
 * @param settings the run's training settings as a JSON object, so a resumed coordinator can
 *     refuse different ones
 * @param params the flattened parameters
 * @param epochLossSum the loss sum of the epoch's steps so far (0 at an epoch's end), so that a
 *     resumed run's epoch line is an undisturbed run's
 * @param epochSamples the samples of those steps; {@link #NOT_CARRIED} in a frame of a build
 *     that did not write them
 */
public record CheckpointFrame(String run, long generation, long step, String settings,
    double[] params, double epochLossSum, long epochSamples) {

  /** The {@code epochSamples} of a checkpoint written before frames carried the epoch's sums. */
  public static final long NOT_CARRIED = -1;

  /** A checkpoint without the epoch's sums, as older builds wrote them. */
  public CheckpointFrame(String run, long generation, long step, String settings, double[] params) {
    this(run, generation, step, settings, params, 0, NOT_CARRIED);
  }

  /**
   * Validates and copies.
   *
   * @throws NullPointerException if a reference is null
   * @throws IllegalArgumentException if generation or step is negative
   */
  public CheckpointFrame {
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(settings, "settings");
    if (epochSamples < NOT_CARRIED || !Double.isFinite(epochLossSum)) {
      throw new IllegalArgumentException("epoch loss sum " + epochLossSum + " over "
          + epochSamples + " samples: must be finite over at least 0");
    }
    if (generation < 0 || step < 0) {
      throw new IllegalArgumentException(
          "generation " + generation + " and step " + step + " must be at least 0");
    }
    params = params.clone();
  }

  @Override
  public double[] params() {
    return params.clone();
  }

  /** The parameters, read-only, without a copy. */
  public DoubleBuffer paramsView() {
    return DoubleBuffer.wrap(params).asReadOnlyBuffer();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CheckpointFrame c && run.equals(c.run) && generation == c.generation
        && step == c.step && settings.equals(c.settings) && Arrays.equals(params, c.params)
        && Double.compare(epochLossSum, c.epochLossSum) == 0 && epochSamples == c.epochSamples;
  }

  @Override
  public int hashCode() {
    return Objects.hash(run, generation, step, settings, Arrays.hashCode(params), epochLossSum,
        epochSamples);
  }

  @Override
  public String toString() {
    return "CheckpointFrame[run=" + run + ", generation=" + generation + ", step=" + step
        + ", params=" + params.length + " values]";
  }
}
