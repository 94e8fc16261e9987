package dev.backstream.cli.bench;

import dev.backstream.cli.base.MissingCommand;
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

  /** Bare, the command does nothing it was asked: one line naming its commands, exit 2. */
  @Override
  public Integer call() {
    return MissingCommand.refuse(spec);
  }
}
