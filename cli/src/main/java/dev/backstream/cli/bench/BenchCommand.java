package dev.backstream.cli.bench;

import dev.backstream.cli.base.ExitCodes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Groups the benchmarks; bare, it lists them. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measure speed and report it.",
    subcommands = {ComputeBench.class, StepBench.class, ScaleBench.class, CompareBench.class,
      EchoCommand.class})
public final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** Bare, the command does nothing it was asked: its usage goes to standard error, exit 2. */
  @Override
  public Integer call() {
    spec.commandLine().getErr().println("backstream: missing command; bench commands are: "
        + String.join(", ", spec.commandLine().getSubcommands().keySet()));
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }
}
