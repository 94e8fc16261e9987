package dev.backstream.common.protocol;

import java.nio.DoubleBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * Step {@code step} as the coordinator publishes it: the parameters to compute with, the step's
 * global batch and which worker computes which shard of it.
 *
 * <p>Immutable: the arrays are copied in, and the array accessors return fresh copies. Use
 * {@link #paramsView()} to read the parameters without copying them. Equality compares the arrays
 * element by element ({@link Arrays#equals(double[], double[])}, so {@code -0.0 != 0.0}).
 * Non-finite parameters are allowed here so a diverged run can still be encoded; the decoder
 * rejects them ({@link RejectReason#NON_FINITE}).
 *
 * @param run the run name
 * @param generation the coordinator's generation (fencing token), at least 0
 * @param step the step number, at least 0
 * @param params the flattened parameters of step {@code step}
 * @param batchIndices the step's global batch, indices into the training set, each at least 0
 * @param shardCount the number of shards S the batch is cut into, at least 1
 * @param shardOwners {@code shardCount} worker ids: entry k computes shard k; empty if unassigned
 * @param hidden the network's hidden units, at least 1 (inputs come from the dataset, 10 outputs)
 * @param activation the hidden activation's name ("relu" or "sigmoid")
 */
public record StepFrame(
    String run,
    long generation,
    long step,
    double[] params,
    int[] batchIndices,
    int shardCount,
    String[] shardOwners,
    int hidden,
    String activation) {

  /**
   * Validates and copies the arrays.
   *
   * @throws NullPointerException if a reference or an owner is null
   * @throws IllegalArgumentException if a number is out of range or the owners do not match
   *     {@code shardCount}
   */
  public StepFrame {
    Objects.requireNonNull(run, "run");
    requireAtLeast("generation", generation, 0);
    requireAtLeast("step", step, 0);
    params = params.clone();
    batchIndices = batchIndices.clone();
    for (int i = 0; i < batchIndices.length; i++) {
      requireAtLeast("batchIndices[" + i + "]", batchIndices[i], 0);
    }
    requireAtLeast("shardCount", shardCount, 1);
    shardOwners = shardOwners.clone();
    if (shardOwners.length != shardCount) {
      throw new IllegalArgumentException("shardOwners has " + shardOwners.length
          + " entries but shardCount is " + shardCount + ": one owner per shard");
    }
    for (int k = 0; k < shardOwners.length; k++) {
      Objects.requireNonNull(shardOwners[k], "shardOwners[" + k + "]");
    }
    requireAtLeast("hidden", hidden, 1);
    Objects.requireNonNull(activation, "activation");
  }

  /** Returns a fresh copy of the parameters. */
  @Override
  public double[] params() {
    return params.clone();
  }

  /** Returns a read-only view of the parameters, without copying them. */
  public DoubleBuffer paramsView() {
    return DoubleBuffer.wrap(params).asReadOnlyBuffer();
  }

  /** Returns a fresh copy of the batch indices. */
  @Override
  public int[] batchIndices() {
    return batchIndices.clone();
  }

  /** Returns a fresh copy of the shard owners. */
  @Override
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
        && Arrays.equals(params, f.params)
        && Arrays.equals(batchIndices, f.batchIndices)
        && Arrays.equals(shardOwners, f.shardOwners);
  }

  @Override
  public int hashCode() {
    int h = Objects.hash(run, generation, step, shardCount, hidden, activation);
    h = 31 * h + Arrays.hashCode(params);
    h = 31 * h + Arrays.hashCode(batchIndices);
    return 31 * h + Arrays.hashCode(shardOwners);
  }

  @Override
  public String toString() {
    return "StepFrame[run=" + run + ", generation=" + generation + ", step=" + step
        + ", params=" + params.length + ", batch=" + batchIndices.length
        + ", owners=" + Arrays.toString(shardOwners) + ", hidden=" + hidden + ", activation="
        + activation + "]";
  }

  static void requireAtLeast(String name, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(
          "Invalid value " + value + " for " + name + ": must be at least " + min);
    }
  }
}
