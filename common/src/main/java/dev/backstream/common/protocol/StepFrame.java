package dev.backstream.common.protocol;

import dev.backstream.common.nn.Dtype;
import dev.backstream.common.nn.FlatVector;
import java.nio.DoubleBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * Step {@code step} as the coordinator publishes it: the run's spec, the parameters to compute
 * with, the step's global batch and which worker computes which shard of it.
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
public final class StepFrame extends StepScoped {
  private final RunSpec spec;
  private final FlatVector params;
  private final int[] batchIndices;
  private final String[] shardOwners;

  /**
   * Validates and copies the arrays.
   *
   * @param run the run name
   * @param generation the coordinator's generation (fencing token), at least 0
   * @param step the step number, at least 0
   * @param spec what the run trains: the network, the shard count S the batch is cut into and
   *     the number type a worker computes the step in; a float32 run's frame carries its
   *     parameters as floats, so each must be a float value
   * @param params the flattened parameters of step {@code step}; not modified
   * @param batchIndices the step's global batch, indices into the training set, each at least 0
   * @param shardOwners {@code spec.shards()} worker ids: entry k computes shard k; empty if
   *     unassigned
   * @throws NullPointerException if a reference or an owner is null
   * @throws IllegalArgumentException if a number is out of range, the owners do not match the
   *     spec's shard count, or a value of a float32 frame is not a float value
   */
  public StepFrame(String run, long generation, long step, RunSpec spec, double[] params,
      int[] batchIndices, String[] shardOwners) {
    this(run, generation, step, spec, FlatVector.exactly(spec.dtype(), params),
        batchIndices.clone(), shardOwners.clone(), GradientFrame.Kept.AS_GIVEN);
  }

  /**
   * Like {@link #StepFrame(String, long, long, RunSpec, double[], int[], String[])} with the
   * parameters in the run's number type (copied).
   *
   * @throws IllegalArgumentException also if {@code params} are not of the spec's dtype
   */
  public StepFrame(String run, long generation, long step, RunSpec spec, FlatVector params,
      int[] batchIndices, String[] shardOwners) {
    this(run, generation, step, spec, params.copy(), batchIndices.clone(), shardOwners.clone(),
        GradientFrame.Kept.AS_GIVEN);
  }

  private StepFrame(String run, long generation, long step, RunSpec spec, FlatVector params,
      int[] batchIndices, String[] shardOwners, GradientFrame.Kept kept) {
    super(run, generation, step);
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(params, "params");
    for (int i = 0; i < batchIndices.length; i++) {
      // the name is made only for a bad index: a batch of 8,192 made 8,192 strings a step
      if (batchIndices[i] < 0) {
        requireAtLeast("batchIndices[" + i + "]", batchIndices[i], 0);
      }
    }
    if (shardOwners.length != spec.shards()) {
      throw new IllegalArgumentException("shardOwners has " + shardOwners.length
          + " entries but the spec has " + spec.shards() + " shards: one owner per shard");
    }
    for (int k = 0; k < shardOwners.length; k++) {
      Objects.requireNonNull(shardOwners[k], "shardOwners[" + k + "]");
    }
    if (params.dtype() != spec.dtype()) {
      throw new IllegalArgumentException(
          params.dtype().id() + " parameters in a " + spec.dtype().id() + " step frame");
    }
    this.spec = spec;
    this.params = params;
    this.batchIndices = batchIndices;
    this.shardOwners = shardOwners;
  }

  /**
   * Like the constructor, but keeps the arrays themselves instead of copies: for the decoder,
   * which made them for this frame. The caller must not touch them afterwards.
   */
  static StepFrame handingOver(String run, long generation, long step, RunSpec spec,
      FlatVector params, int[] batchIndices, String[] shardOwners) {
    return new StepFrame(run, generation, step, spec, params, batchIndices, shardOwners,
        GradientFrame.Kept.AS_GIVEN);
  }

  /** What the run trains: the network, its shard count and number type among the rest. */
  public RunSpec spec() {
    return spec;
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
   * @param k the shard index, in [0, spec().shards())
   * @return the owner, empty if unassigned
   */
  public String shardOwner(int k) {
    return shardOwners[k];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StepFrame f
        && sameStep(f)
        && spec.equals(f.spec)
        && params.equals(f.params)
        && Arrays.equals(batchIndices, f.batchIndices)
        && Arrays.equals(shardOwners, f.shardOwners);
  }

  @Override
  public int hashCode() {
    int h = 31 * stepHash() + spec.hashCode();
    h = 31 * h + params.hashCode();
    h = 31 * h + Arrays.hashCode(batchIndices);
    return 31 * h + Arrays.hashCode(shardOwners);
  }

  @Override
  public String toString() {
    return "StepFrame[" + stepFields() + ", params=" + params.length() + ", batch="
        + batchIndices.length + ", owners=" + Arrays.toString(shardOwners) + ", hidden="
        + spec.hidden() + ", activation=" + spec.activation().id() + ", dtype="
        + spec.dtype().id() + "]";
  }
}
