package dev.backstream.coordinator.training;

/**
 * Which parameters a run scores on the full training and test sets. Scoring changes no
 * parameter, so the choice never changes a run's bits, only what its epoch lines report.
 */
public enum Evaluations {
  /** At every epoch's end and after the last step: what users see. */
  EVERY_EPOCH,
  /**
   * After the last step only: for benchmarks, where an epoch's evaluation (70,000 images on
   * MNIST) would compete with the measured steps for the same CPUs.
   */
  LAST_STEP;

  /** Whether the parameters after {@code done} of {@code steps} steps are scored. */
  boolean due(long done, long steps, boolean epochEnd) {
    return done >= steps || (this == EVERY_EPOCH && epochEnd);
  }
}
