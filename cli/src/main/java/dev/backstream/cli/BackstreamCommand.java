package dev.backstream.cli;

import dev.backstream.cli.base.VersionProvider;
import dev.backstream.cli.bench.BenchCommand;
import dev.backstream.cli.cluster.CoordinatorCommand;
import dev.backstream.cli.cluster.MetricsCommand;
import dev.backstream.cli.cluster.ReducerCommand;
import dev.backstream.cli.cluster.WorkerCommand;
import dev.backstream.cli.data.DataCommand;
import dev.backstream.cli.model.ExportCommand;
import dev.backstream.cli.model.PredictCommand;
import dev.backstream.cli.report.ReportCommand;
import dev.backstream.cli.train.TrainCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The root command: lists the subcommands when run bare. */
@Command(
    name = "backstream",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Trains the backpropagation chapter's two-layer network, distributed over Kafka.",
    subcommands = {
      TrainCommand.class,
      PredictCommand.class,
      ExportCommand.class,
      dev.backstream.cli.broker.BrokerCommand.class,
      dev.backstream.cli.broker.AclsCommand.class,
      CoordinatorCommand.class,
      WorkerCommand.class,
      ReducerCommand.class,
      MetricsCommand.class,
      ReportCommand.class,
      DemoCommand.class,
      GradcheckCommand.class,
      DataCommand.class,
      BenchCommand.class
    })
public final class BackstreamCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "Debug logging, and stack traces with errors.")
  void setVerbose(boolean verbose) {
    if (verbose) {
      Main.enableDebugLogging();
    }
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
