package dev.backstream.common.protocol;

import dev.backstream.common.nn.Dtype;
import dev.backstream.common.nn.FlatVector;
import java.nio.DoubleBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * Step {@code step} as the coordinator publishes it: the parameters to compute with, the step's
 * global batch and which worker computes which shard of it.
 *
 * <p>Immutable: the public constructors copy the arrays in, and the array accessors return fresh
 * copies. Use {@link #paramsShared()} to read the parameters without copying them: a float32
 * frame holds them as floats ({@link FlatVector}). Equality compares the arrays element by element
 * ({@link Arrays#equals(double[], double[])}, so {@code -0.0 != 0.0}). Non-finite parameters are
 * allowed here so a diverged run can still be encoded; the decoder rejects them
 * ({@link RejectReason#NON_FINITE}).
 *
 * <p>A final class rather than a record: a record's canonical constructor would copy the 318 KB
 * of parameters that the decoder has just made for the frame (see {@link GradientFrame}).
 */
public final class StepFrame {
  private final String run;
  private final long generation;
  private final long step;
  private final FlatVector params;
  private final int[] batchIndices;
  private final int shardCount;
  private final String[] shardOwners;
  private final int hidden;
  private final String activation;
  private final Dtype dtype;

  /**
   * Validates and copies the arrays.
   *
   * @param run the run name
   * @param generation the coordinator's generation (fencing token), at least 0
   * @param step the step number, at least 0
   * @param params the flattened parameters of step {@code step}; not modified
   * @param batchIndices the step's global batch, indices into the training set, each at least 0
   * @param shardCount the number of shards S the batch is cut into, at least 1
   * @param shardOwners {@code shardCount} worker ids: entry k computes shard k; empty if
   *     unassigned
   * @param hidden the network's hidden units, at least 1 (inputs come from the dataset, 10
   *     outputs)
   * @param activation the hidden activation's name ("relu" or "sigmoid")
   * @throws NullPointerException if a reference or an owner is null
   * @throws IllegalArgumentException if a number is out of range or the owners do not match
   *     {@code shardCount}
   */
  public StepFrame(String run, long generation, long step, double[] params, int[] batchIndices,
      int shardCount, String[] shardOwners, int hidden, String activation) {
    this(run, generation, step, params, batchIndices, shardCount, shardOwners, hidden, activation,
        Dtype.FLOAT64);
  }

  /**
   * Like {@link #StepFrame(String, long, long, double[], int[], int, String[], int, String)}, of a
   * run that computes in {@code dtype}: a float32 frame carries its parameters as floats, so
   * each must be a float value.
   *
   * @throws IllegalArgumentException also if a value of a float32 frame is not a float value
   */
  public StepFrame(String run, long generation, long step, double[] params, int[] batchIndices,
      int shardCount, String[] shardOwners, int hidden, String activation, Dtype dtype) {
    this(run, generation, step, FlatVector.exactly(dtype, params), batchIndices.clone(),
        shardCount, shardOwners.clone(), hidden, activation, dtype, GradientFrame.Kept.AS_GIVEN);
  }

  /**
   * Like {@link #StepFrame(String, long, long, double[], int[], int, String[], int, String,
   * Dtype)} with the parameters in the run's number type, {@code dtype} (copied).
   *
   * @throws IllegalArgumentException also if {@code params} are not of {@code dtype}
   */
  public StepFrame(String run, long generation, long step, FlatVector params, int[] batchIndices,
      int shardCount, String[] shardOwners, int hidden, String activation, Dtype dtype) {
    this(run, generation, step, params.copy(), batchIndices.clone(), shardCount,
        shardOwners.clone(), hidden, activation, dtype, GradientFrame.Kept.AS_GIVEN);
  }

  private StepFrame(String run, long generation, long step, FlatVector params, int[] batchIndices,
      int shardCount, String[] shardOwners, int hidden, String activation, Dtype dtype,
      GradientFrame.Kept kept) {
    Objects.requireNonNull(run, "run");
    requireAtLeast("generation", generation, 0);
    requireAtLeast("step", step, 0);
    Objects.requireNonNull(params, "params");
    for (int i = 0; i < batchIndices.length; i++) {
      requireAtLeast("batchIndices[" + i + "]", batchIndices[i], 0);
    }
    requireAtLeast("shardCount", shardCount, 1);
    if (shardOwners.length != shardCount) {
      throw new IllegalArgumentException("shardOwners has " + shardOwners.length
          + " entries but shardCount is " + shardCount + ": one owner per shard");
    }
    for (int k = 0; k < shardOwners.length; k++) {
      Objects.requireNonNull(shardOwners[k], "shardOwners[" + k + "]");
    }
    requireAtLeast("hidden", hidden, 1);
    Objects.requireNonNull(activation, "activation");
    if (params.dtype() != dtype) {
      throw new IllegalArgumentException(
          params.dtype().id() + " parameters in a " + dtype.id() + " step frame");
    }
    this.run = run;
    this.generation = generation;
    this.step = step;
    this.params = params;
    this.batchIndices = batchIndices;
    this.shardCount = shardCount;
    this.shardOwners = shardOwners;
    this.hidden = hidden;
    this.activation = activation;
    this.dtype = Objects.requireNonNull(dtype, "dtype");
  }

  /**
   * Like the constructor, but keeps the arrays themselves instead of copies: for the decoder,
   * which made them for this frame. The caller must not touch them afterwards.
   */
  static StepFrame handingOver(String run, long generation, long step, FlatVector params,
      int[] batchIndices, int shardCount, String[] shardOwners, int hidden, String activation,
      Dtype dtype) {
    return new StepFrame(run, generation, step, params, batchIndices, shardCount, shardOwners,
        hidden, activation, dtype, GradientFrame.Kept.AS_GIVEN);
  }

  /** The run name. */
  public String run() {
    return run;
  }

  /** The coordinator's generation (fencing token). */
  public long generation() {
    return generation;
  }

  /** The step number. */
  public long step() {
    return step;
  }

  /** The number of shards S the batch is cut into. */
  public int shardCount() {
    return shardCount;
  }

  /** The network's hidden units. */
  public int hidden() {
    return hidden;
  }

  /** The hidden activation's name. */
  public String activation() {
    return activation;
  }

  /** The number type of the run: a worker computes the step in it. */
  public Dtype dtype() {
    return dtype;
  }

  /**
   * Returns the frame's own parameters, in its dtype, not a copy, for a reader on the step's path
   * that must not pay for one (a worker's kernel, the encoder): read them, never write them.
   */
  public FlatVector paramsShared() {
    return params;
  }

  /** Returns a fresh copy of the parameters, widened to doubles in a float32 frame (exact). */
  public double[] params() {
    return params.toDoubles();
  }

  /**
   * Returns a read-only view of the parameters as doubles: without copying them in a float64
   * frame, over a widened copy in a float32 one.
   */
  public DoubleBuffer paramsView() {
    double[] values = params.dtype() == Dtype.FLOAT64 ? params.doubles() : params.toDoubles();
    return DoubleBuffer.wrap(values).asReadOnlyBuffer();
  }

  /** Returns a fresh copy of the batch indices. */
  public int[] batchIndices() {
    return batchIndices.clone();
  }

  /** Returns a fresh copy of the shard owners. */
  public String[] shardOwners() {
    return shardOwners.clone();
  }

  /**
   * Returns the worker id that should compute shard {@code k}.
   *
   * @param k the shard index, in [0, shardCount)
   * @return the owner, empty if unassigned
   */
  public String shardOwner(int k) {
    return shardOwners[k];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StepFrame f
        && generation == f.generation
        && step == f.step
        && shardCount == f.shardCount
        && hidden == f.hidden
        && run.equals(f.run)
        && activation.equals(f.activation)
        && dtype == f.dtype
        && params.equals(f.params)
        && Arrays.equals(batchIndices, f.batchIndices)
        && Arrays.equals(shardOwners, f.shardOwners);
  }

  @Override
  public int hashCode() {
    int h = Objects.hash(run, generation, step, shardCount, hidden, activation, dtype);
    h = 31 * h + params.hashCode();
    h = 31 * h + Arrays.hashCode(batchIndices);
    return 31 * h + Arrays.hashCode(shardOwners);
  }

  @Override
  public String toString() {
    return "StepFrame[run=" + run + ", generation=" + generation + ", step=" + step
        + ", params=" + params.length() + ", batch=" + batchIndices.length
        + ", owners=" + Arrays.toString(shardOwners) + ", hidden=" + hidden + ", activation="
        + activation + ", dtype=" + dtype.id() + "]";
  }

  static void requireAtLeast(String name, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(
          "Invalid value " + value + " for " + name + ": must be at least " + min);
    }
  }
}
