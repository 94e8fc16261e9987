package dev.backstream.cli;

import dev.backstream.cli.base.ExitCodes;
import dev.backstream.cli.base.UserException;
import dev.backstream.cli.base.VersionProvider;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.backstream.cli.broker.SecurityRefusals;
import dev.backstream.common.kafka.AccessRefusedException;
import dev.backstream.common.kafka.KafkaUnreachableException;
import dev.backstream.coordinator.CoordinatorFencedException;
import dev.backstream.coordinator.RunConflictException;
import dev.backstream.coordinator.RunFinishedException;
import dev.backstream.coordinator.training.DivergedException;
import java.io.PrintWriter;
import java.util.Optional;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Entry point: builds the command line and decides every exit code in one place. User mistakes
 * print one line and exit 2 (usage) or 1 (run time); a stack trace appears only with {@code
 * --verbose}.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code, without exiting: for tests. */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /** The configured command line, writing to the process's standard streams. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new BackstreamCommand());
    cli.setExecutionExceptionHandler(Main::onExecutionException);
    cli.setParameterExceptionHandler(Main::onParameterException);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    withVersion(cli, new VersionProvider());
    return cli;
  }

  /** Every subcommand's --version prints what the root's does, not nothing. */
  private static void withVersion(CommandLine cli, VersionProvider version) {
    cli.getCommandSpec().versionProvider(version);
    cli.getSubcommands().values().forEach(sub -> withVersion(sub, version));
  }

  private static int onParameterException(ParameterException e, String[] args) {
    PrintWriter err = e.getCommandLine().getErr();
    err.println("backstream: " + unknownCommand(e).orElse(e.getMessage()));
    err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
    return ExitCodes.USAGE;
  }

  /**
   * "unknown command 'x'; commands are: ..." when the first word after a command with subcommands
   * is none of them, rather than picocli's "Unmatched argument at index 0".
   */
  private static java.util.Optional<String> unknownCommand(ParameterException e) {
    CommandLine cmd = e.getCommandLine();
    if (!(e instanceof UnmatchedArgumentException unmatched) || cmd.getSubcommands().isEmpty()
        || unmatched.getUnmatched().isEmpty() || unmatched.getUnmatched().get(0).startsWith("-")) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of("unknown command '" + unmatched.getUnmatched().get(0)
        + "'; commands are: " + String.join(", ", cmd.getSubcommands().keySet()));
  }

  private static int onExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    boolean verbose = isVerbose(parsed);
    if (e instanceof RunFinishedException finished) {
      // nothing was wrong: the run was done before this command started
      cmd.getOut().println(finished.getMessage());
      cmd.getOut().flush();
      return ExitCodes.OK;
    }
    if (e instanceof UserException user) {
      err.println("backstream: " + user.getMessage());
      if (verbose) {
        user.printStackTrace(err);
      }
      return user.exitCode();
    }
    if (e instanceof KafkaUnreachableException unreachable) {
      // a broker that asks for a login looks unreachable to a client without one
      err.println("backstream: " + SecurityRefusals.unreachable(unreachable,
          SecurityRefusals.Client.of(parsed)).orElse(e.getMessage()));
      return ExitCodes.FAILURE;
    }
    if (e instanceof CoordinatorFencedException
        || e instanceof DivergedException
        || e instanceof AccessRefusedException) {
      err.println("backstream: " + e.getMessage());
      return ExitCodes.FAILURE;
    }
    if (e instanceof RunConflictException conflict) {
      err.println("backstream: " + conflict.getMessage());
      return ExitCodes.USAGE;
    }
    if (e instanceof InterruptedException) {
      err.println("backstream: interrupted");
      return ExitCodes.FAILURE;
    }
    Optional<String> refused = SecurityRefusals.describe(e, SecurityRefusals.Client.of(parsed));
    if (refused.isPresent()) {
      err.println("backstream: " + refused.get());
      if (verbose) {
        e.printStackTrace(err);
      }
      return ExitCodes.FAILURE;
    }
    err.println("backstream: internal error: " + e);
    if (verbose) {
      e.printStackTrace(err);
    } else {
      err.println("Run again with --verbose for the stack trace.");
    }
    return ExitCodes.FAILURE;
  }

  private static boolean isVerbose(ParseResult parsed) {
    return parsed != null && parsed.expandedArgs().contains("--verbose");
  }

  /** Turns on debug logging for our own code; called by the {@code --verbose} option. */
  static void enableDebugLogging() {
    if (LoggerFactory.getLogger("dev.backstream") instanceof Logger logger) {
      logger.setLevel(Level.DEBUG);
    }
  }
}
