package dev.backstream.common.training;

import dev.backstream.common.nn.Dtype;
import dev.backstream.common.protocol.Admission;
import dev.backstream.common.protocol.GradientFrame;
import dev.backstream.common.protocol.RejectReason;
import java.util.Objects;

/**
 * The rules a decoded gradient frame must meet before its sum counts, for any process that
 * gathers a run's gradients (the coordinator; a reducer that adds up a subtree): of this run and
 * of its coordinator's generation ({@link #ofRun}), as long as the run's parameters and in its
 * number type, and of the open step, a node of its tree that overlaps no sum kept
 * ({@link #intoRound}, which keeps it in the {@link StepRound} if so). Each refusal is one
 * {@link RejectReason}. Immutable.
 */
public final class GradientRules {
  private final String run;
  private final long generation;
  private final int parameterCount;
  private final Dtype dtype;

  /**
   * @param run the run's name
   * @param generation the generation of the coordinator whose steps the gradients answer
   * @param parameterCount the length of the run's parameter vector, so of every sum
   * @param dtype the run's number type
   */
  public GradientRules(String run, long generation, int parameterCount, Dtype dtype) {
    this.run = Objects.requireNonNull(run, "run");
    this.generation = generation;
    this.parameterCount = parameterCount;
    this.dtype = Objects.requireNonNull(dtype, "dtype");
  }

  /** Whether the frame is of this run ({@link RejectReason#WRONG_RUN}) and generation. */
  public Admission ofRun(GradientFrame f) {
    if (!f.run().equals(run)) {
      return Admission.rejected(RejectReason.WRONG_RUN, "run '" + f.run() + "'");
    }
    if (f.generation() != generation) {
      return Admission.rejected(RejectReason.STALE_GENERATION, "generation " + f.generation()
          + " while at " + generation);
    }
    return Admission.ADMITTED;
  }

  /**
   * Checks a frame of this run against the open step and keeps its sum there if it is admitted:
   * first its shape, so that a malformed record is counted as malformed and not as a stale one
   * ({@link RejectReason#BAD_LENGTH}, {@link RejectReason#BAD_DTYPE}: a float64 sum is not
   * rounded to a float32 run's type here), then {@link StepRound#offer(GradientFrame)}.
   *
   * @param round the open step's sums; null while no step is open
   */
  public Admission intoRound(GradientFrame f, StepRound round) {
    int length = f.gradientSumShared().length();
    if (length != parameterCount) {
      return Admission.rejected(RejectReason.BAD_LENGTH, length + " values, expected "
          + parameterCount);
    }
    if (f.dtype() != dtype) {
      return Admission.rejected(RejectReason.BAD_DTYPE, f.dtype().id() + " gradient in a "
          + dtype.id() + " run");
    }
    if (round == null) {
      return Admission.rejected(RejectReason.STALE_STEP, "step " + f.step() + " while none is open");
    }
    return round.offer(f);
  }

  /** {@link #ofRun}, then {@link #intoRound}: the whole admission of a gradient frame. */
  public Admission admit(GradientFrame f, StepRound round) {
    Admission ofRun = ofRun(f);
    return ofRun == Admission.ADMITTED ? intoRound(f, round) : ofRun;
  }
}
