package dev.backstream.common.protocol;

import dev.backstream.common.nn.Dtype;
import dev.backstream.common.nn.FlatVector;
import java.nio.DoubleBuffer;
import java.util.Objects;

/**
 * A worker's result for one node of a step's reduction tree (one shard, or a whole subtree it
 * held): the SUM (not the mean) of the per-sample gradients, so the coordinator can add shards in
 * a fixed order and divide once.
 *
 * <p>Immutable: the public constructor copies the gradient in, and {@link #gradientSum()} returns
 * a fresh copy; use {@link #gradientSumShared()} to read it without copying: a float32 frame holds
 * it as floats ({@link FlatVector}). Equality compares the gradient element by element. Non-finite values are allowed here;
 * the decoder rejects them ({@link RejectReason#NON_FINITE}).
 *
 * <p>A final class rather than a record: a record's canonical constructor would copy every
 * 318 KB gradient that the decoder or a worker has just made and hands over
 * ({@link #handingOver}), and a step paid for two such copies.
 */
public final class GradientFrame extends StepScoped {
  /** Marks the constructor that keeps the array it is given. */
  enum Kept { AS_GIVEN }

  private final int firstShard;
  private final int shardCount;
  private final String sender;
  private final int sampleCount;
  private final double lossSum;
  private final int correctCount;
  private final FlatVector gradientSum;

  /**
   * Validates and copies the gradient.
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
   * @param gradientSum the flattened sum of the per-sample gradients, laid out like the
   *     parameters; not modified
   * @throws NullPointerException if a reference is null
   * @throws IllegalArgumentException if a number is out of range
   */
  public GradientFrame(String run, long generation, long step, int firstShard, int shardCount,
      String sender, int sampleCount, double lossSum, int correctCount, double[] gradientSum) {
    this(run, generation, step, firstShard, shardCount, sender, sampleCount, lossSum,
        correctCount, FlatVector.float64(gradientSum), Kept.AS_GIVEN);
  }

  private GradientFrame(String run, long generation, long step, int firstShard, int shardCount,
      String sender, int sampleCount, double lossSum, int correctCount, FlatVector owned,
      Kept kept) {
    super(run, generation, step);
    Objects.requireNonNull(sender, "sender");
    requireAtLeast("firstShard", firstShard, 0);
    requireAtLeast("shardCount", shardCount, 1);
    requireAtLeast("sampleCount", sampleCount, 0);
    if (correctCount < 0 || correctCount > sampleCount) {
      throw new IllegalArgumentException("Invalid value " + correctCount
          + " for correctCount: must be in [0, " + sampleCount + "] (the sample count)");
    }
    this.firstShard = firstShard;
    this.shardCount = shardCount;
    this.sender = sender;
    this.sampleCount = sampleCount;
    this.lossSum = lossSum;
    this.correctCount = correctCount;
    this.gradientSum = Objects.requireNonNull(owned, "gradientSum");
  }

  /**
   * Like the constructor, but keeps {@code gradientSum} itself instead of a copy: for a caller
   * that made the array for this frame and hands it over (a worker's tree sum, the decoder's
   * values). The caller must not touch the array afterwards.
   *
   * @throws NullPointerException if a reference is null
   * @throws IllegalArgumentException if a number is out of range
   */
  public static GradientFrame handingOver(String run, long generation, long step, int firstShard,
      int shardCount, String sender, int sampleCount, double lossSum, int correctCount,
      double[] gradientSum) {
    return handingOver(run, generation, step, firstShard, shardCount, sender, sampleCount,
        lossSum, correctCount, FlatVector.wrap(gradientSum));
  }

  /**
   * {@link #handingOver(String, long, long, int, int, String, int, double, int, double[])} of a
   * sum in the run's number type: a float32 run's frame carries its sum as floats.
   */
  public static GradientFrame handingOver(String run, long generation, long step, int firstShard,
      int shardCount, String sender, int sampleCount, double lossSum, int correctCount,
      FlatVector gradientSum) {
    return new GradientFrame(run, generation, step, firstShard, shardCount, sender, sampleCount,
        lossSum, correctCount, gradientSum, Kept.AS_GIVEN);
  }

  /** The first shard of the tree node this sum covers. */
  public int firstShard() {
    return firstShard;
  }

  /** How many consecutive shards the node covers (1 for a leaf). */
  public int shardCount() {
    return shardCount;
  }

  /** The worker id that computed it. */
  public String sender() {
    return sender;
  }

  /** The number of samples the sum covers. */
  public int sampleCount() {
    return sampleCount;
  }

  /** The sum of the per-sample losses. */
  public double lossSum() {
    return lossSum;
  }

  /** The samples whose argmax was the label. */
  public int correctCount() {
    return correctCount;
  }

  /** The number type of the sum: the run's. */
  public Dtype dtype() {
    return gradientSum.dtype();
  }

  /** Returns a fresh copy of the gradient sum, widened to doubles in a float32 frame (exact). */
  public double[] gradientSum() {
    return gradientSum.toDoubles();
  }

  /**
   * Returns a read-only view of the gradient sum as doubles: without copying it in a float64
   * frame, over a widened copy in a float32 one.
   */
  public DoubleBuffer gradientSumView() {
    double[] values = gradientSum.dtype() == Dtype.FLOAT64
        ? gradientSum.doubles() : gradientSum.toDoubles();
    return DoubleBuffer.wrap(values).asReadOnlyBuffer();
  }

  /**
   * Returns the frame's own sum, in its dtype, not a copy, for a reader on the step's path that
   * must not pay for one (the coordinator's reduction, the encoder): read it, never write it.
   */
  public FlatVector gradientSumShared() {
    return gradientSum;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GradientFrame f
        && sameStep(f)
        && firstShard == f.firstShard
        && shardCount == f.shardCount
        && sampleCount == f.sampleCount
        && Double.compare(lossSum, f.lossSum) == 0
        && correctCount == f.correctCount
        && sender.equals(f.sender)
        && gradientSum.equals(f.gradientSum);
  }

  @Override
  public int hashCode() {
    int h = 31 * stepHash()
        + Objects.hash(firstShard, shardCount, sender, sampleCount, lossSum, correctCount);
    return 31 * h + gradientSum.hashCode();
  }

  @Override
  public String toString() {
    return "GradientFrame[" + stepFields() + ", shards=" + firstShard + "+" + shardCount
        + ", sender=" + sender + ", samples=" + sampleCount
        + ", lossSum=" + lossSum + ", correct=" + correctCount
        + ", gradient=" + gradientSum.length() + " " + dtype().id() + "]";
  }
}
