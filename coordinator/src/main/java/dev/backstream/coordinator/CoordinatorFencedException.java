package dev.backstream.coordinator;

/** This coordinator may no longer write: a newer coordinator of the run has taken it over. */
public final class CoordinatorFencedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** @param run the run taken over; {@code cause} is Kafka's refusal */
  public CoordinatorFencedException(String run, Throwable cause) {
    super("this coordinator of run '" + run + "' was fenced: a newer coordinator took the run over"
        + " (" + cause.getClass().getSimpleName() + ")", cause);
  }
}
