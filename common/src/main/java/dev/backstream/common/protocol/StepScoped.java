package dev.backstream.common.protocol;

import java.util.Objects;

/**
 * What a step frame and a gradient frame both begin with: the run, the coordinator generation
 * (fencing token) and the step they belong to, checked once here. Immutable.
 */
public abstract sealed class StepScoped permits StepFrame, GradientFrame {
  private final String run;
  private final long generation;
  private final long step;

  /**
   * @throws NullPointerException if {@code run} is null
   * @throws IllegalArgumentException if the generation or the step is negative
   */
  StepScoped(String run, long generation, long step) {
    this.run = Objects.requireNonNull(run, "run");
    this.generation = requireAtLeast("generation", generation, 0);
    this.step = requireAtLeast("step", step, 0);
  }

  /** The run name. */
  public final String run() {
    return run;
  }

  /** The coordinator's generation (fencing token) of the step. */
  public final long generation() {
    return generation;
  }

  /** The step number. */
  public final long step() {
    return step;
  }

  /** Whether {@code o} has the same run, generation and step: the first part of equals. */
  final boolean sameStep(StepScoped o) {
    return generation == o.generation && step == o.step && run.equals(o.run);
  }

  /** The hash of the run, generation and step, to go on from in hashCode. */
  final int stepHash() {
    return Objects.hash(run, generation, step);
  }

  /** {@code run=R, generation=G, step=S}, for toString. */
  final String stepFields() {
    return "run=" + run + ", generation=" + generation + ", step=" + step;
  }

  static long requireAtLeast(String name, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(
          "Invalid value " + value + " for " + name + ": must be at least " + min);
    }
    return value;
  }
}
