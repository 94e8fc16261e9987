package dev.backstream.cli.base;

/**
 * A failure the user can fix (bad setting, missing file, unreachable server): printed as one line,
 * without a stack trace unless {@code --verbose}.
 */
public final class UserException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  /**
   * @param exitCode {@link ExitCodes#USAGE} for bad input, {@link ExitCodes#FAILURE} otherwise
   * @param message one line naming the bad value and what would be right
   */
  public UserException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  /** A bad setting or argument: exit code 2. */
  public static UserException usage(String message) {
    return new UserException(ExitCodes.USAGE, message);
  }

  /** A run-time failure the user can fix: exit code 1. */
  public static UserException failure(String message) {
    return new UserException(ExitCodes.FAILURE, message);
  }

  /** The process exit code. */
  public int exitCode() {
    return exitCode;
  }
}
