package dev.backstream.coordinator;

/**
 * The run's checkpoint cannot be resumed with this coordinator's settings: a user's mistake, told
 * in one line that names what differs and what to do.
 */
public final class RunConflictException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** @param message what differs and what would be right */
  public RunConflictException(String message) {
    super(message);
  }
}
