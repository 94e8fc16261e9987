package dev.backstream.cli.base;

import dev.backstream.cli.Main;

/** The process exit codes every subcommand uses. */
public final class ExitCodes {
  /** The command did what was asked. */
  public static final int OK = 0;
  /** The command failed at run time (data missing and not fetchable, broker gone, a bug). */
  public static final int FAILURE = 1;
  /** The command line or a setting was wrong: nothing was attempted. */
  public static final int USAGE = 2;

  /**
   * Stopped by SIGTERM: 128 + 15, the code the JVM exits with after the signal and shells report;
   * a test that runs the command in its own JVM gets it from {@code Main.run}.
   */
  public static final int STOPPED = 143;

  private ExitCodes() {}
}
