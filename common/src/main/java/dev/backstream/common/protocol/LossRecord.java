package dev.backstream.common.protocol;

import java.util.Arrays;
import java.util.Objects;

/**
 * The mean training loss of each step of a block of consecutive steps: the loss curve, sent a
 * block at a time because one record per step would outnumber everything else on the topic.
 *
 * @param run the run name
 * @param firstStep the step of {@code losses[0]}, from 1 (step s is the s-th SGD update)
 * @param losses mean per-sample loss of steps {@code firstStep, firstStep + 1, ...}; NaN when the
 *     run diverged; copied in and out
 */
public record LossRecord(String run, long firstStep, double[] losses) implements MetricsLine {

  /** The {@code "type"} of a loss line. */
  public static final String TYPE = "loss";

  /**
   * Copies the losses.
   *
   * @throws NullPointerException if {@code run} is null
   * @throws IllegalArgumentException if {@code firstStep} is below 1
   */
  public LossRecord {
    Objects.requireNonNull(run, "run");
    StepFrame.requireAtLeast("firstStep", firstStep, 1);
    losses = losses == null ? new double[0] : losses.clone();
  }

  @Override
  public String type() {
    return TYPE;
  }

  /** Returns a copy of the losses. */
  @Override
  public double[] losses() {
    return losses.clone();
  }

  /** The step of the last loss; {@code firstStep - 1} when there is none. */
  public long lastStep() {
    return firstStep + losses.length - 1;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LossRecord r && run.equals(r.run) && firstStep == r.firstStep
        && Arrays.equals(losses, r.losses);
  }

  @Override
  public int hashCode() {
    return Objects.hash(run, firstStep, Arrays.hashCode(losses));
  }

  @Override
  public String toString() {
    return "LossRecord[run=" + run + ", steps " + firstStep + ".." + lastStep() + "]";
  }
}
