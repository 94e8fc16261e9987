package dev.backstream.common.protocol;

import dev.backstream.common.nn.Dtype;
import dev.backstream.common.nn.FlatVector;
import java.nio.DoubleBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

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
 * <p>A frame made {@link #changedSince changed since} the previous step carries only the blocks of
 * parameters whose bits changed in that step (a batch of 100 MNIST images leaves about a third of
 * W1's rows as they were); it is not {@link #complete()} and becomes so
 * {@link #resolvedAgainst resolved against} the complete frame of the previous step.
 *
 * <p>A final class rather than a record: a record's canonical constructor would copy the 318 KB
 * of parameters that the decoder has just made for the frame (see {@link GradientFrame}).
 */
public final class StepFrame extends StepScoped {
  private final RunSpec spec;
  private final FlatVector params;
  private final int[] batchIndices;
  private final String[] shardOwners;
  /** The blocks of {@link ValueBlocks#BLOCK} parameters carried; null when all are. */
  private final boolean[] changedBlocks;

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
        batchIndices.clone(), shardOwners.clone(), null);
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
        null);
  }

  /**
   * The frame of step {@code step} that carries only the blocks of {@code params} whose bits
   * differ from {@code previous}, the parameters of step {@code step - 1}; a worker that holds
   * that step's complete frame makes this one complete with {@link #resolvedAgainst}.
   *
   * @param params the parameters of step {@code step}; not modified
   * @param previous the parameters of the step before, of the same type and length; not modified
   * @throws IllegalArgumentException as the constructor, also if {@code step} is 0 or the two
   *     vectors differ in type or length
   */
  public static StepFrame changedSince(String run, long generation, long step, RunSpec spec,
      FlatVector params, FlatVector previous, int[] batchIndices, String[] shardOwners) {
    if (step < 1) {
      throw new IllegalArgumentException("step " + step + " has no previous step to change from");
    }
    if (previous.dtype() != params.dtype() || previous.length() != params.length()) {
      throw new IllegalArgumentException(params.length() + " " + params.dtype().id()
          + " parameters changed since " + previous.length() + " " + previous.dtype().id()
          + " ones: must be of the same type and length");
    }
    return new StepFrame(run, generation, step, spec, params.copy(), batchIndices.clone(),
        shardOwners.clone(), ValueBlocks.differing(params, previous));
  }

  private StepFrame(String run, long generation, long step, RunSpec spec, FlatVector params,
      int[] batchIndices, String[] shardOwners, boolean[] changedBlocks) {
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
    this.changedBlocks = changedBlocks;
  }

  /**
   * Like the constructor, but keeps the arrays themselves instead of copies: for the decoder,
   * which made them for this frame. The caller must not touch them afterwards.
   *
   * @param changedBlocks the blocks {@code params} carries, the others +0.0 in it; null for all
   */
  static StepFrame handingOver(String run, long generation, long step, RunSpec spec,
      FlatVector params, int[] batchIndices, String[] shardOwners, boolean[] changedBlocks) {
    if (changedBlocks != null && changedBlocks.length != ValueBlocks.count(params.length())) {
      throw new IllegalArgumentException(changedBlocks.length + " blocks for "
          + params.length() + " parameters: expected " + ValueBlocks.count(params.length()));
    }
    if (changedBlocks != null && step < 1) {
      throw new IllegalArgumentException("step 0 carries the changes since no step");
    }
    return new StepFrame(run, generation, step, spec, params, batchIndices, shardOwners,
        changedBlocks);
  }

  /**
   * Whether the frame carries every parameter; one made {@link #changedSince} the previous step
   * does not until it is {@link #resolvedAgainst resolved}.
   */
  public boolean complete() {
    return changedBlocks == null;
  }

  /** The blocks carried, for the encoder; null when all are. Not a copy: read it, never write. */
  boolean[] changedBlocks() {
    return changedBlocks;
  }

  /**
   * This frame with every parameter: the blocks it carries, and the others from
   * {@code previous}, the complete frame of the step before of the same run and generation.
   *
   * <p>The blocks not carried are filled into this frame's own parameters, which its decoder made
   * for it alone (a step's 318 KB are neither allocated nor copied again on a worker's path): the
   * frame of changes is spent, and only the frame returned is to be read after.
   *
   * @return this frame if it is complete; empty if {@code previous} is not the frame it changes
   *     (another run, generation or step, not complete, or other parameters' type or count)
   */
  public Optional<StepFrame> resolvedAgainst(StepFrame previous) {
    if (complete()) {
      return Optional.of(this);
    }
    if (previous == null || !previous.complete() || !previous.run().equals(run())
        || previous.generation() != generation() || previous.step() != step() - 1
        || previous.params.dtype() != params.dtype()
        || previous.params.length() != params.length()) {
      return Optional.empty();
    }
    ValueBlocks.copyUnmarked(changedBlocks, previous.params, params);
    return Optional.of(new StepFrame(run(), generation(), step(), spec, params, batchIndices,
        shardOwners, null));
  }

  /** What the run trains: the network, its shard count and number type among the rest. */
  public RunSpec spec() {
    return spec;
  }

  /**
   * Returns the frame's own parameters, in its dtype, not a copy, for a reader on the step's path
   * that must not pay for one (a worker's kernel, the encoder): read them, never write them. In a
   * frame that is not {@link #complete()}, only the blocks carried are its step's (the others are
   * +0.0 as decoded, and the previous step's once {@link #resolvedAgainst resolved}).
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
        && Arrays.equals(shardOwners, f.shardOwners)
        && Arrays.equals(changedBlocks, f.changedBlocks);
  }

  @Override
  public int hashCode() {
    int h = 31 * stepHash() + spec.hashCode();
    h = 31 * h + params.hashCode();
    h = 31 * h + Arrays.hashCode(batchIndices);
    h = 31 * h + Arrays.hashCode(changedBlocks);
    return 31 * h + Arrays.hashCode(shardOwners);
  }

  @Override
  public String toString() {
    return "StepFrame[" + stepFields() + ", params=" + params.length() + ", batch="
        + batchIndices.length + ", owners=" + Arrays.toString(shardOwners) + ", hidden="
        + spec.hidden() + ", activation=" + spec.activation().id() + ", dtype="
        + spec.dtype().id() + (complete() ? "" : ", changes only") + "]";
  }
}
