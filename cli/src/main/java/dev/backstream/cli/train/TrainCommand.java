package dev.backstream.cli.train;

import dev.backstream.cli.console.EpochTable;
import dev.backstream.cli.console.SummaryWriter;
import dev.backstream.cli.options.TrainingOptions;
import dev.backstream.cli.base.ExitCodes;
import dev.backstream.cli.base.OutputFile;
import dev.backstream.cli.base.UserException;
import dev.backstream.cli.broker.EmbeddedKafkaBroker;
import dev.backstream.cli.options.CheckpointOptions;
import dev.backstream.cli.cluster.GracefulStop;
import dev.backstream.cli.options.KafkaOptions;
import dev.backstream.cli.console.ProgressBar;
import dev.backstream.cli.options.DatasetOptions;
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

  @Option(names = "--local", defaultValue = "${env:BACKSTREAM_LOCAL:-false}",
      description = "Train in this process, without Kafka (env BACKSTREAM_LOCAL).")
  boolean local;

  @Option(names = "--workers", defaultValue = "${env:BACKSTREAM_WORKERS:-2}",
      description = "Worker actors (default: ${DEFAULT-VALUE}; env BACKSTREAM_WORKERS).")
  int workers;

  @Option(names = "--summary", paramLabel = "FILE", defaultValue = "${env:BACKSTREAM_SUMMARY}",
      description = "Also write the summary as a JSON object to FILE (env BACKSTREAM_SUMMARY).")
  Path summary;

  @Option(names = "--metrics-out", paramLabel = "FILE",
      defaultValue = "${env:BACKSTREAM_METRICS_OUT}", description = "Also write the run's "
      + "metrics as JSON lines to FILE, as on its metrics topic: settings, step losses, epochs "
      + "(env BACKSTREAM_METRICS_OUT).")
  Path metricsOut;

  @Option(names = "--save-model", paramLabel = "FILE", defaultValue = "${env:BACKSTREAM_SAVE_MODEL}",
      description = "Also write the final model to FILE (numpy .npz; see 'backstream predict'; "
          + "env BACKSTREAM_SAVE_MODEL).")
  Path saveModel;

  /** The step the run had done when it was stopped, for the message. */
  private final StepCount steps = new StepCount();

  @Override
  public Integer call() throws InterruptedException {
    try (GracefulStop stop = GracefulStop.onSignal("backstream-train-shutdown");
        LiveOptions.Live page = live.start(spec.commandLine().getOut(), kafka.run())) {
      try {
        return train();
      } catch (InterruptedException | StepCount.Stopped e) {
        if (!stop.signalled()) {
          throw e instanceof InterruptedException ie ? ie : new InterruptedException();
        }
        return stop.stopped(spec.commandLine().getErr(), kept());
      }
    }
  }

  /** What a stopped run left behind. */
  private String kept() {
    String at = "at step " + steps.done() + "; ";
    if (local) {
      return at + "nothing kept (a local run writes no checkpoint; the output files are "
          + "written only at its end)";
    }
    if (kafka.bootstrap() == null) {
      return at + "nothing kept (the embedded broker and its checkpoints end with the process)";
    }
    return GracefulStop.kept(kafka.settings(), kafka.run(), kafka.runKey(), kafka.connectTimeout());
  }

  private Integer train() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    TrainingSettings settings = training.toSettings(data.dataset(), !local);
    if (workers < 1) {
      throw UserException.usage("Invalid value " + workers + " for --workers: must be at least 1");
    }
    summary = OutputFile.check("--summary", summary);
    metricsOut = OutputFile.check("--metrics-out", metricsOut);
    saveModel = OutputFile.check("--save-model", saveModel);
    if (local) {
      warnIgnoredByLocal();
    } else {
      kafka.check();
    }
    Dataset dataset = data.load();
    training.checkBatch(dataset);
    ProgressBar bar = ProgressBar.onTerminal("steps");
    TrainingSummary result;
    // closed however training ends, so that every line already made reaches the file
    try (MetricsOut metrics = MetricsOut.open(metricsOut, kafka.run(), local ? "local" : "kafka",
        settings, dataset.train().count())) {
      if (local) {
        out.println("Training " + settings + " in this process");
        out.flush();
        result = new LocalTrainer(settings, dataset, steps.stoppingOnInterrupt(
            live.with(metrics.around(new EpochTable(out, bar, false))))).run();
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

  /**
   * Warns, one line each, of the Kafka options a local run does not use. Warned, not refused:
   * BACKSTREAM_WORKERS or BACKSTREAM_BOOTSTRAP set for a cluster must not stop a quick local run
   * in the same shell, and the result does not depend on them.
   */
  private void warnIgnoredByLocal() {
    PrintWriter err = spec.commandLine().getErr();
    var parsed = spec.commandLine().getParseResult();
    for (String option : new String[] {"--workers", "--bootstrap", "--run-key", "--kafka-config",
        "--checkpoint-every", "--connect-timeout"}) {
      boolean given = parsed.hasMatchedOption(option);
      String env = ENV_OF_KAFKA_OPTIONS.get(option);
      boolean fromEnv = !given && env != null && System.getenv(env) != null
          && !System.getenv(env).isBlank();
      if (given || fromEnv) {
        err.println("backstream: warning: " + option + (fromEnv ? " (from " + env + ")" : "")
            + " is ignored by --local: it trains in this process, without Kafka");
      }
    }
    err.flush();
  }

  private static final java.util.Map<String, String> ENV_OF_KAFKA_OPTIONS = java.util.Map.of(
      "--workers", "BACKSTREAM_WORKERS", "--bootstrap", "BACKSTREAM_BOOTSTRAP",
      "--run-key", "BACKSTREAM_RUN_KEY_FILE");

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
      return Coordinator.run(config, dataset,
          steps.counting(live.with(metrics.around(new EpochTable(out, bar, true)))));
    }
  }
}
