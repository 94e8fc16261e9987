package dev.backstream.cli.base;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What a command that only groups others ({@code data}, {@code bench}) does when run bare: it was
 * asked for nothing it can do, so one line naming its commands, the help hint an unknown command
 * gets too, and exit 2.
 */
public final class MissingCommand {
  private MissingCommand() {}

  /**
   * Refuses a bare group command.
   *
   * @param spec the group command's spec
   * @return {@link ExitCodes#USAGE}
   */
  public static int refuse(CommandSpec spec) {
    CommandLine cli = spec.commandLine();
    PrintWriter err = cli.getErr();
    err.println("backstream: missing command; " + spec.name() + " commands are: "
        + String.join(", ", cli.getSubcommands().keySet()));
    err.println("Try '" + spec.qualifiedName() + " --help'.");
    return ExitCodes.USAGE;
  }
}
