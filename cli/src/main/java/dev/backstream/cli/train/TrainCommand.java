package dev.backstream.cli.train;

import dev.backstream.cli.ExitCodes;
import dev.backstream.cli.UserException;
import dev.backstream.cli.broker.EmbeddedKafkaBroker;
import dev.backstream.cli.cluster.CheckpointOptions;
import dev.backstream.cli.cluster.KafkaOptions;
import dev.backstream.cli.console.ProgressBar;
import dev.backstream.cli.data.DatasetOptions;
import dev.backstream.cli.live.LiveOptions;
import dev.backstream.cli.model.SavedModel;
import dev.backstream.cli.report.MetricsOut;
import dev.backstream.common.data.Dataset;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.coordinator.Coordinator;
import dev.backstream.coordinator.CoordinatorConfig;
import dev.backstream.coordinator.training.LocalTrainer;
import dev.backstream.coordinator.training.TrainingSettings;
import dev.backstream.coordinator.training.TrainingSummary;
import dev.backstream.worker.WorkerConfig;
import dev.backstream.worker.WorkerRuntime;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code backstream train}: the book's training loop. By default a coordinator and N worker actors
 * talk through a Kafka broker started inside this process; {@code --bootstrap} uses your own
 * Kafka instead, and {@code --local} trains without Kafka. All three end on the same parameters.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Train the two-layer network; prints accuracy every epoch and a summary.")
public final class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin DatasetOptions data;

  @Mixin TrainingOptions training;

  @Mixin KafkaOptions kafka;

  @Mixin CheckpointOptions checkpoints;

  @Mixin LiveOptions live;

  @Option(names = "--local", description = "Train in this process, without Kafka.")
  boolean local;

  @Option(names = "--workers", defaultValue = "${env:BACKSTREAM_WORKERS:-2}",
      description = "Worker actors (default: ${DEFAULT-VALUE}; env BACKSTREAM_WORKERS).")
  int workers;

  @Option(names = "--summary", paramLabel = "FILE",
      description = "Also write the summary as a JSON object to FILE.")
  Path summary;

  @Option(names = "--metrics-out", paramLabel = "FILE", description = "Also write the run's "
      + "metrics as JSON lines to FILE, as on its metrics topic: settings, step losses, epochs.")
  Path metricsOut;

  @Option(names = "--save-model", paramLabel = "FILE",
      description = "Also write the final model to FILE (numpy .npz; see 'backstream predict').")
  Path saveModel;

  @Override
  public Integer call() throws InterruptedException {
    try (LiveOptions.Live page = live.start(spec.commandLine().getOut(), kafka.run())) {
      return train();
    }
  }

  private Integer train() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    TrainingSettings settings = training.toSettings(data.dataset());
    if (workers < 1) {
      throw UserException.usage("Invalid value " + workers + " for --workers: must be at least 1");
    }
    Dataset dataset = data.load();
    ProgressBar bar = ProgressBar.onTerminal("steps");
    TrainingSummary result;
    // closed however training ends, so that every line already made reaches the file
    try (MetricsOut metrics = MetricsOut.open(metricsOut, kafka.run(), local ? "local" : "kafka",
        settings, dataset.train().count())) {
      if (local) {
        out.println("Training " + settings + " in this process");
        out.flush();
        result = new LocalTrainer(
            settings, dataset, live.with(metrics.around(new EpochTable(out, bar, false)))).run();
      } else if (kafka.bootstrap() != null) {
        result = distributed(out, bar, settings, dataset, kafka.settings(), metrics);
      } else {
        try (EmbeddedKafkaBroker broker =
            EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults())) {
          result = distributed(out, bar, settings, dataset,
              kafka.settings(broker.bootstrapServers()), metrics);
        }
      }
    }
    bar.clear();
    SummaryWriter.report(out, result, summary, local ? "local" : "kafka", local ? 0 : workers);
    if (saveModel != null) {
      SavedModel.write(out, saveModel, result, local ? "local" : "kafka");
    }
    return ExitCodes.OK;
  }

  private TrainingSummary distributed(PrintWriter out, ProgressBar bar, TrainingSettings settings,
      Dataset dataset, KafkaSettings kafkaSettings, MetricsOut metrics) throws InterruptedException {
    String run = kafka.run();
    out.println("Training " + settings + " with " + workers + " worker(s) over Kafka at "
        + kafkaSettings.bootstrapServers() + ", run '" + run + "'");
    out.flush();
    CoordinatorConfig config =
        checkpoints.apply(CoordinatorConfig.of(kafkaSettings, run, settings), kafka);
    try (WorkerRuntime pool = WorkerRuntime.start(
        WorkerConfig.of(kafkaSettings, run, workers).withRunKey(config.runKey()), dataset.train(),
        config.connectTimeout())) {
      return Coordinator.run(
          config, dataset, live.with(metrics.around(new EpochTable(out, bar, true))));
    }
  }
}
