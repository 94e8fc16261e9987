package dev.backstream.cli.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Groups the benchmarks; bare, it lists them. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measure speed and report it.",
    subcommands = {ComputeBench.class, StepBench.class, CompareBench.class, EchoCommand.class})
public final class BenchCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
