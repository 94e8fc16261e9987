package dev.backstream.cli;

/** The process exit codes every subcommand uses. */
public final class ExitCodes {
  /** The command did what was asked. */
  public static final int OK = 0;
  /** The command failed at run time (data missing and not fetchable, broker gone, a bug). */
  public static final int FAILURE = 1;
  /** The command line or a setting was wrong: nothing was attempted. */
  public static final int USAGE = 2;

  private ExitCodes() {}
}
