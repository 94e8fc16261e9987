package dev.backstream.coordinator.training;

/**
 * The run stopped because a step's loss or its update is not finite: the learning rate is too
 * large for the model. Both trainers throw it on the same step with the same words, since both
 * decide through {@link BatchStep}.
 */
public final class DivergedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final long step;
  private final double loss;

  /**
   * @param step the step that diverged, counting from 1 as the epoch table does
   * @param loss that step's mean loss with the parameters it started from
   */
  public DivergedException(long step, double loss) {
    super("diverged at step " + step + " (loss " + loss + "): try a smaller --lr", null, false,
        false);
    this.step = step;
    this.loss = loss;
  }

  /** The step that diverged, counting from 1. */
  public long step() {
    return step;
  }

  /** Its mean loss (possibly NaN or infinite). */
  public double loss() {
    return loss;
  }
}
