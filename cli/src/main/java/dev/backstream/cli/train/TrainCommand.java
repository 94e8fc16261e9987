package dev.backstream.cli.train;

import dev.backstream.cli.base.ExitCodes;
import dev.backstream.cli.base.OutputFile;
import dev.backstream.cli.base.UserException;
import dev.backstream.cli.broker.BrokerSecurity;
import dev.backstream.cli.broker.EmbeddedKafkaBroker;
import dev.backstream.cli.broker.RoleAcls;
import dev.backstream.cli.cluster.GracefulStop;
import dev.backstream.cli.console.EpochTable;
import dev.backstream.cli.console.ProgressBar;
import dev.backstream.cli.console.SummaryWriter;
import dev.backstream.cli.live.LiveOptions;
import dev.backstream.cli.model.SavedModel;
import dev.backstream.cli.options.CheckpointOptions;
import dev.backstream.cli.options.DatasetOptions;
import dev.backstream.cli.options.KafkaOptions;
import dev.backstream.cli.options.TrainingOptions;
import dev.backstream.cli.report.MetricsOut;
import dev.backstream.common.data.Dataset;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.protocol.RunSpec;
import dev.backstream.common.training.ReducerSubtrees;
import dev.backstream.coordinator.Coordinator;
import dev.backstream.coordinator.CoordinatorConfig;
import dev.backstream.coordinator.training.LocalTrainer;
import dev.backstream.coordinator.training.TrainingSummary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code backstream train}: the book's training loop. By default a coordinator and N worker actors
 * (and R reducers with {@code --reducers}) talk through a Kafka broker started inside this
 * process; {@code --bootstrap} uses your own Kafka instead, and {@code --local} trains without
 * Kafka. All of them end on the same parameters.
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

  @Option(names = "--secure", defaultValue = "${env:BACKSTREAM_SECURE:-false}",
      description = "Secure the embedded broker: SCRAM-SHA-512 logins with fresh random passwords "
          + "for a coordinator, a worker and a reducer user, and ACLs per role on the run's "
          + "topics, as 'backstream broker --users' sets them up (env BACKSTREAM_SECURE).")
  boolean secure;

  @Option(names = "--workers", defaultValue = "${env:BACKSTREAM_WORKERS:-2}",
      description = "Worker actors (default: ${DEFAULT-VALUE}; env BACKSTREAM_WORKERS).")
  int workers;

  @Option(names = "--reducers", paramLabel = "R", defaultValue = "${env:BACKSTREAM_REDUCERS:-0}",
      description = "Also run R reducers in this process, one per subtree of the reduction tree, "
          + "in [0, --shards], as 'backstream coordinator --reducers R' and 'backstream reducer "
          + "--subtree r' would; the worker actors then run as one worker process each, so that "
          + "their frames go through the reducers (default: ${DEFAULT-VALUE}; not with --local; "
          + "env BACKSTREAM_REDUCERS).")
  int reducers;

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
    try (GracefulStop stop = GracefulStop.whileStarting("backstream-train-shutdown",
            spec.commandLine().getErr(), "while loading the data; " + untouched());
        LiveOptions.Live page = live.start(spec.commandLine().getOut(), kafka.run())) {
      try {
        return train(stop);
      } catch (StepCount.Stopped e) {
        if (!stop.signalled()) {
          throw new InterruptedException();
        }
        return stop.stopped(spec.commandLine().getErr(), kept());
      } catch (InterruptedException | RuntimeException e) {
        // a Kafka client interrupted mid-call throws its own unchecked InterruptException
        if (!stop.absorbs(e)) {
          throw e;
        }
        return stop.stopped(spec.commandLine().getErr(), kept());
      }
    }
  }

  /** What a stop before the first write leaves: nothing, or a run of the user's Kafka as it was. */
  private String untouched() {
    return local || kafka.bootstrap() == null ? "nothing was written"
        : "run '" + kafka.run() + "' on " + kafka.bootstrap() + " was not touched";
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

  private Integer train(GracefulStop stop) throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    RunSpec settings = training.toSettings(data.dataset(), !local);
    if (workers < 1) {
      throw UserException.usage("Invalid value " + workers + " for --workers: must be at least 1");
    }
    summary = OutputFile.check("--summary", summary);
    metricsOut = OutputFile.check("--metrics-out", metricsOut);
    saveModel = OutputFile.check("--save-model", saveModel);
    if (local && spec.commandLine().getParseResult().hasMatchedOption("--reducers")) {
      throw UserException.usage("--reducers runs reducers over Kafka beside the workers; --local "
          + "trains in this process without Kafka: drop one of them");
    }
    if (!local) {
      ReducerSubtrees.invalidCount(reducers, settings.shards()).ifPresent(why -> {
        throw UserException.usage(why);
      });
    }
    if (local) {
      warnIgnoredByLocal();
    } else if (secure && kafka.bootstrap() != null) {
      throw UserException.usage("--secure secures the embedded broker, not the Kafka of "
          + "--bootstrap: give that one's credentials with --kafka-config");
    } else if (secure && spec.commandLine().getParseResult().hasMatchedOption("--kafka-config")) {
      throw UserException.usage("--secure makes the embedded broker's credentials itself: drop "
          + "--kafka-config, or run 'backstream broker --users' and train with --bootstrap");
    } else {
      kafka.check();
    }
    Dataset dataset = data.load();
    training.checkBatch(dataset);
    if (!stop.started()) {
      return ExitCodes.STOPPED;
    }
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
        result = distributed(out, bar, settings, dataset, kafka.settings(), kafka.settings(),
            kafka.settings(), "", metrics);
      } else if (secure) {
        result = secured(out, bar, settings, dataset, metrics);
      } else {
        try (EmbeddedKafkaBroker broker = startBroker(BrokerSecurity.NONE)) {
          KafkaSettings open = kafka.settings(broker.bootstrapServers());
          result = distributed(out, bar, settings, dataset, open, open, open, "", metrics);
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
    for (String option : new String[] {"--workers", "--reducers", "--bootstrap", "--run-key",
        "--kafka-config", "--checkpoint-every", "--connect-timeout", "--secure"}) {
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
      "--workers", "BACKSTREAM_WORKERS", "--reducers", "BACKSTREAM_REDUCERS",
      "--bootstrap", "BACKSTREAM_BOOTSTRAP",
      "--run-key", "BACKSTREAM_RUN_KEY_FILE", "--secure", "BACKSTREAM_SECURE");

  /**
   * Over an embedded broker that asks for logins: the coordinator, the workers and the reducers
   * log in as users of their own role, so the ACLs a real cluster would hold are the ones this run
   * passes.
   */
  private TrainingSummary secured(PrintWriter out, ProgressBar bar, RunSpec settings,
      Dataset dataset, MetricsOut metrics) throws InterruptedException {
    BrokerSecurity security = BrokerSecurity.generated();
    try (EmbeddedKafkaBroker broker = startBroker(security)) {
      security.grant(broker.bootstrapServers(), List.of(kafka.run()));
      KafkaSettings coordinator = KafkaSettings.of(broker.bootstrapServers(),
          security.clientOf(security.user(RoleAcls.Role.COORDINATOR)));
      KafkaSettings worker = KafkaSettings.of(broker.bootstrapServers(),
          security.clientOf(security.user(RoleAcls.Role.WORKER)));
      KafkaSettings reducer = KafkaSettings.of(broker.bootstrapServers(),
          security.clientOf(security.user(RoleAcls.Role.REDUCER)));
      return distributed(out, bar, settings, dataset, coordinator, worker, reducer, " ("
          + security.protocol() + " with " + BrokerSecurity.MECHANISM + ", ACLs per role)",
          metrics);
    }
  }

  /** The embedded broker; a failed start is one line (the cause with --verbose). */
  private static EmbeddedKafkaBroker startBroker(BrokerSecurity security) {
    try {
      return EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults(), security);
    } catch (KafkaException e) {
      UserException failure = UserException.failure(e.getMessage());
      failure.initCause(e);
      throw failure;
    }
  }

  private TrainingSummary distributed(PrintWriter out, ProgressBar bar, RunSpec settings,
      Dataset dataset, KafkaSettings coordinatorKafka, KafkaSettings workerKafka,
      KafkaSettings reducerKafka, String how, MetricsOut metrics) throws InterruptedException {
    String run = kafka.run();
    out.println("Training " + settings + " with " + workers + " worker(s)"
        + (reducers > 0 ? " and " + reducers + " reducer(s)" : "") + " over Kafka at "
        + coordinatorKafka.bootstrapServers() + how + ", run '" + run + "'");
    out.flush();
    CoordinatorConfig config =
        checkpoints.apply(CoordinatorConfig.of(coordinatorKafka, run, settings), kafka);
    if (reducers > 0) {
      // without --reducers the run keeps the subtrees it has, as before
      config = config.withReducers(reducers);
    }
    try (WorkersAndReducers cluster = WorkersAndReducers.start(config, workerKafka, reducerKafka,
        workers, reducers, dataset)) {
      return Coordinator.run(config, dataset,
          steps.counting(live.with(metrics.around(new EpochTable(out, bar, true)))));
    }
  }
}
