package dev.backstream.cli.cluster;

import dev.backstream.cli.base.ExitCodes;
import dev.backstream.cli.base.OutputFile;
import dev.backstream.cli.base.UserException;
import dev.backstream.cli.console.EpochTable;
import dev.backstream.cli.console.ProgressBar;
import dev.backstream.cli.console.SummaryWriter;
import dev.backstream.cli.live.LiveOptions;
import dev.backstream.cli.options.CheckpointOptions;
import dev.backstream.cli.options.DatasetOptions;
import dev.backstream.cli.options.KafkaOptions;
import dev.backstream.cli.options.TrainingOptions;
import dev.backstream.common.data.Dataset;
import dev.backstream.common.protocol.RunSpec;
import dev.backstream.common.training.ReducerSubtrees;
import dev.backstream.coordinator.Coordinator;
import dev.backstream.coordinator.CoordinatorConfig;
import dev.backstream.coordinator.training.TrainingSummary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code backstream coordinator}: drives a run against any Kafka cluster. */
@Command(
    name = "coordinator",
    mixinStandardHelpOptions = true,
    description = "Coordinate a run over Kafka: publish steps, reduce gradients, apply SGD.")
public final class CoordinatorCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin KafkaOptions kafka;

  @Mixin DatasetOptions data;

  @Mixin TrainingOptions training;

  @Mixin CheckpointOptions checkpoints;

  @Mixin LiveOptions live;

  @Option(names = "--summary", paramLabel = "FILE", defaultValue = "${env:BACKSTREAM_SUMMARY}",
      description = "Also write the summary as JSON to FILE (env BACKSTREAM_SUMMARY).")
  Path summary;

  @Option(names = "--reducers", paramLabel = "R", defaultValue = "${env:BACKSTREAM_REDUCERS:--1}",
      description = "Reducer subtrees of the run, in [0, --shards]: the gradients topic gets one "
          + "partition per subtree, which a `backstream reducer --subtree r` adds up; fixed once "
          + "set (default: as the run has them, none for a new run; env BACKSTREAM_REDUCERS).")
  int reducers;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    RunSpec settings = training.toSettings(data.dataset(), true);
    summary = OutputFile.check("--summary", summary);
    var kafkaSettings = kafka.settings();
    String run = kafka.run();
    if (reducers != CoordinatorConfig.REDUCERS_AS_THE_RUN_HAS) {
      ReducerSubtrees.invalidCount(reducers, settings.shards()).ifPresent(why -> {
        throw UserException.usage(why);
      });
    }
    CoordinatorConfig config = checkpoints.apply(
        CoordinatorConfig.of(kafkaSettings, run, settings).withReducers(reducers), kafka);
    ProgressBar bar = ProgressBar.onTerminal("steps");
    TrainingSummary result;
    try (GracefulStop stop = GracefulStop.whileStarting("backstream-coordinator-shutdown",
        spec.commandLine().getErr(), "while loading the data; run '" + run + "' on "
            + kafka.bootstrap() + " was not touched")) {
      Dataset dataset = data.load();
      training.checkBatch(dataset);
      if (!stop.started()) {
        return ExitCodes.STOPPED;
      }
      out.println("Coordinating run '" + run + "' on " + kafka.bootstrap() + ": " + settings);
      out.flush();
      try (LiveOptions.Live page = live.start(out, run)) {
        result = Coordinator.run(config, dataset, live.with(new EpochTable(out, bar, true)));
      } catch (InterruptedException | RuntimeException e) {
        bar.clear();
        // a signal during start-up can reach a Kafka client call first: its InterruptException
        if (!stop.absorbs(e)) {
          throw e;
        }
        return stop.stopped(spec.commandLine().getErr(), GracefulStop.kept(kafkaSettings, run,
            config.runKey(), config.connectTimeout()));
      }
    }
    bar.clear();
    SummaryWriter.report(out, result, summary, "coordinator", 0);
    return ExitCodes.OK;
  }
}
