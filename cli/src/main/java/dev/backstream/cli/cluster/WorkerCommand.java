package dev.backstream.cli.cluster;

import dev.backstream.cli.base.ExitCodes;
import dev.backstream.cli.base.UserException;
import dev.backstream.cli.options.DatasetOptions;
import dev.backstream.cli.options.KafkaOptions;
import dev.backstream.common.data.Dataset;
import dev.backstream.worker.WorkerConfig;
import dev.backstream.worker.WorkerRuntime;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code backstream worker}: computes shard gradients for a run until the run is finished or the
 * worker is stopped. SIGTERM or Ctrl-C leaves the run cleanly; kill -9 costs the coordinator one
 * deadline. When the coordinator has finished the run the worker says so and exits 0; one started
 * on a finished run says so at once, before loading any data.
 */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description = "Join a run over Kafka and compute shard gradients until the run is finished "
        + "or the worker is stopped.")
public final class WorkerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin KafkaOptions kafka;

  @Mixin DatasetOptions data;

  @Option(names = "--actors", defaultValue = "${env:BACKSTREAM_ACTORS:-1}",
      description = "Worker actors in this process, each on its own thread (default: "
          + "${DEFAULT-VALUE}; env BACKSTREAM_ACTORS).")
  int actors;

  @Override
  public Integer call() throws InterruptedException {
    if (actors < 1) {
      throw UserException.usage("Invalid value " + actors + " for --actors: must be at least 1");
    }
    var kafkaSettings = kafka.settings();
    String run = kafka.run();
    WorkerConfig config = WorkerConfig.of(kafkaSettings, run, actors).withRunKey(kafka.runKey());
    Duration connectTimeout = kafka.connectTimeout();
    PrintWriter out = spec.commandLine().getOut();
    if (UntilRunEnds.finishedAlready(out, kafka)) {
      return ExitCodes.OK;
    }
    Dataset dataset;
    try (GracefulStop stop = GracefulStop.whileStarting("backstream-worker-shutdown",
        spec.commandLine().getErr(), "while loading the data; run '" + run + "' on "
            + kafka.bootstrap() + " was not joined")) {
      dataset = data.load();
      if (!stop.started()) {
        return ExitCodes.STOPPED;
      }
    }
    WorkerRuntime runtime = WorkerRuntime.start(config, dataset, connectTimeout);
    UntilRunEnds.serve(out, run, "worker", "worker " + runtime.actorIds() + " serving run '" + run
        + "' on " + kafka.bootstrap(), runtime.runFinished(), runtime::close);
    return ExitCodes.OK;
  }
}
