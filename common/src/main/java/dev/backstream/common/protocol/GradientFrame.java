package dev.backstream.common.protocol;

import java.nio.DoubleBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A worker's result for one node of a step's reduction tree (one shard, or a whole subtree it held): the SUM (not the mean) of the per-sample
 * gradients, so the coordinator can add shards in a fixed order and divide once.
 *
 * <p>Immutable: the gradient is copied in, and {@link #gradientSum()} returns a fresh copy; use
 * {@link #gradientSumView()} to read it without copying. Equality compares the gradient element by
 * element. Non-finite values are allowed here; the decoder rejects them
 * ({@link RejectReason#NON_FINITE}).
 *
 * @param run the run name
 * @param generation the coordinator generation of the step this answers, at least 0
 * @param step the step number, at least 0
 * @param firstShard the first shard of the reduction-tree node this sum covers, at least 0
 * @param shardCount how many consecutive shards the node covers, at least 1 (1 for a leaf)
 * @param sender the worker id that computed it (any Unicode text)
 * @param sampleCount the number of samples in the shard, at least 0
 * @param lossSum the sum of the per-sample losses
 * @param correctCount the samples whose argmax was the label, in [0, sampleCount]: a cheap
 *     training-accuracy estimate
 * @param gradientSum the flattened sum of the per-sample gradients, laid out like the parameters
 */
public record GradientFrame(
    String run,
    long generation,
    long step,
    int firstShard,
    int shardCount,
    String sender,
    int sampleCount,
    double lossSum,
    int correctCount,
    double[] gradientSum) {

  /**
   * Validates and copies the gradient.
   *
   * @throws NullPointerException if a reference is null
   * @throws IllegalArgumentException if a number is out of range
   */
  public GradientFrame {
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(sender, "sender");
    StepFrame.requireAtLeast("generation", generation, 0);
    StepFrame.requireAtLeast("step", step, 0);
    StepFrame.requireAtLeast("firstShard", firstShard, 0);
    StepFrame.requireAtLeast("shardCount", shardCount, 1);
    StepFrame.requireAtLeast("sampleCount", sampleCount, 0);
    if (correctCount < 0 || correctCount > sampleCount) {
      throw new IllegalArgumentException("Invalid value " + correctCount
          + " for correctCount: must be in [0, " + sampleCount + "] (the sample count)");
    }
    gradientSum = gradientSum.clone();
  }

  /** Returns a fresh copy of the gradient sum. */
  @Override
  public double[] gradientSum() {
    return gradientSum.clone();
  }

  /** Returns a read-only view of the gradient sum, without copying it. */
  public DoubleBuffer gradientSumView() {
    return DoubleBuffer.wrap(gradientSum).asReadOnlyBuffer();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GradientFrame f
        && generation == f.generation
        && step == f.step
        && firstShard == f.firstShard
        && shardCount == f.shardCount
        && sampleCount == f.sampleCount
        && Double.compare(lossSum, f.lossSum) == 0
        && correctCount == f.correctCount
        && run.equals(f.run)
        && sender.equals(f.sender)
        && Arrays.equals(gradientSum, f.gradientSum);
  }

  @Override
  public int hashCode() {
    int h = Objects.hash(run, generation, step, firstShard, shardCount, sender, sampleCount, lossSum, correctCount);
    return 31 * h + Arrays.hashCode(gradientSum);
  }

  @Override
  public String toString() {
    return "GradientFrame[run=" + run + ", generation=" + generation + ", step=" + step
        + ", shards=" + firstShard + "+" + shardCount + ", sender=" + sender + ", samples=" + sampleCount
        + ", lossSum=" + lossSum + ", correct=" + correctCount
        + ", gradient=" + gradientSum.length + "]";
  }
}
