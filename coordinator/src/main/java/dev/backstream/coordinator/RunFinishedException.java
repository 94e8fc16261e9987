package dev.backstream.coordinator;

/**
 * The run's newest checkpoint is at its final step: there is nothing left to train. Not a
 * failure: the command says so and exits 0, rather than evaluating the finished model again.
 */
public final class RunFinishedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param run the run's name
   * @param steps the steps it trained
   * @param paramsSha256 the SHA-256 of its final parameters
   */
  public RunFinishedException(String run, long steps, String paramsSha256) {
    super("run '" + run + "' is finished: " + steps + " steps, paramsSha256 " + paramsSha256,
        null, false, false);
  }
}
