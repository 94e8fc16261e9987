package dev.backstream.cli.bench;

import dev.backstream.cli.base.ExitCodes;
import dev.backstream.cli.base.UserException;
import dev.backstream.cli.options.DatasetOptions;
import dev.backstream.cli.process.ChildJvm;
import dev.backstream.common.data.Dataset;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.protocol.RunSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code backstream bench step}: how close a synchronous step comes to Kafka's floor. Measures, in
 * one run and on one broker, the ping-pong of one step frame between this process and a child JVM
 * (two hops, the least a step can cost), then the median step of the book's run with 1 and 2
 * worker processes, and prints each step's ratio to the floor. Both are split by {@link
 * WarmUp#DEFAULT} into warm-up and steady state and reported separately: the ping-pong goes on
 * until its rule holds (or --max-warmup passes) and then measures --iterations round trips; the
 * steps are split after the run. The ratio is steady step over steady floor.
 *
 * <p>The coordinator runs in this process, as {@code backstream coordinator} would in its own; the
 * workers are {@code backstream worker --actors 1} child JVMs. Each worker count gets a fresh run
 * whose topics are deleted afterwards.
 *
 * <p>How the workers are started and the run timed: {@link WorkerProcessRun}.
 */
@Command(
    name = "step",
    mixinStandardHelpOptions = true,
    description = {
      "Median synchronous step with 1 and 2 worker processes, against the Kafka ping-pong of one "
          + "step frame between two processes (the floor); prints the ratio step/floor.",
      "Starts an embedded broker unless --bootstrap is given."
    })
public final class StepBench implements Callable<Integer> {
  /** The target for the ratio of the median step to the median ping-pong. */
  static final double TARGET_RATIO = 1.25;

  private static final Duration ROUND_TRIP_TIMEOUT = Duration.ofSeconds(60);

  @Spec CommandSpec spec;

  @Mixin DatasetOptions data;

  @Mixin MeasuredRunOptions run;

  @Option(names = "--iterations", paramLabel = "N", defaultValue = "500",
      description = "Ping-pong round trips measured after the warm-up rule held "
          + "(default: ${DEFAULT-VALUE}).")
  int iterations;

  @Option(names = "--max-warmup", paramLabel = "SECONDS", defaultValue = "60",
      description = "The longest the ping-pong's warm-up may last before it is measured "
          + "unsettled (default: ${DEFAULT-VALUE}).")
  int maxWarmupSeconds;

  @Option(names = "--workers", split = ",", splitSynopsisLabel = ",", paramLabel = "N",
      defaultValue = "1,2",
      description = "Worker process counts to measure (default: ${DEFAULT-VALUE}).")
  List<Integer> workers;

  @Override
  public Integer call() throws InterruptedException {
    checkOptions();
    PrintWriter out = spec.commandLine().getOut();
    Dataset dataset = data.load();
    RunSpec settings = new RunSpec(data.dataset(), run.runSteps(), 100, 0.1, 50,
        Activation.RELU, 0L, 4, RunSpec.DEFAULT_WEIGHT_INIT_STD).withDtype(run.dtype());
    int params = settings.shape(dataset.train().features()).parameterCount();
    try (BenchCluster cluster = BenchCluster.open(run.bootstrap, "bench-step")) {
      KafkaSettings kafka = cluster.kafka();
      Path logs = cluster.logs();
      out.printf("%s, batch %d, %d shards, hidden %d, %s, %s; %d cores; Kafka %s%n",
          settings.dataset().id(), settings.batch(), settings.shards(), settings.hidden(),
          settings.activation().id(), settings.dtype().id(), Runtime.getRuntime().availableProcessors(), cluster.where());
      out.flush();

      out.println("warm-up rule: " + WarmUp.DEFAULT.describe());
      KafkaPingPong.WarmResult pingPong = KafkaPingPong.runUntilWarm(kafka, params, settings.dtype(),
          WarmUp.DEFAULT, Duration.ofSeconds(maxWarmupSeconds), iterations, ROUND_TRIP_TIMEOUT,
          echoInChild(kafka.bootstrapServers(), logs));
      WarmUp.Split floor = pingPong.split();
      out.printf("Kafka ping-pong, %,d B frame, bench process <-> child JVM: median %.2f ms, "
          + "p99 %.2f ms (floor, steady)%n", pingPong.frameBytes(), floor.steadyMedianMillis(),
          floor.steadyP99Millis());
      out.println("  " + floor.describe("round trips"));
      out.flush();

      List<String> notes = new ArrayList<>();
      for (int w : workers) {
        StepTimes times = WorkerProcessRun.measure(kafka, "bench-step", w, 1, data, dataset,
            settings, run.warmup, logs, notes);
        StepTimes.Summary step = times.summarize(run.warmup);
        WarmUp.Split split = times.split(run.warmup, WarmUp.DEFAULT);
        // the steady step against the steady floor; all steps if they never settled
        double median = split.settled() ? split.steadyMedianMillis() : step.medianMillis();
        out.printf("synchronous step, %d %-8s median %.2f ms, p99 %.2f ms  ratio step/floor %.2f"
            + "  (target <= %.2f)%s%n", w, w == 1 ? "worker:" : "workers:", median,
            split.settled() ? split.steadyP99Millis() : step.p99Millis(),
            median / floor.steadyMedianMillis(), TARGET_RATIO,
            split.settled() ? " (steady)" : " (all steps: never settled)");
        out.println("  " + split.describe("steps"));
        out.flush();
      }
      out.printf("%d round trips after the ping-pong settled, %d steps per worker count after %d "
          + "to join; medians and p99 of this machine only, noisy where the CPUs are shared; "
          + "load %s%n", iterations, run.steps, run.warmup, LoadAverage.now());
      notes.forEach(n -> out.println("note: " + n));
      out.flush();
      cluster.succeeded();
      return ExitCodes.OK;
    }
  }

  private void checkOptions() {
    run.check();
    if (maxWarmupSeconds < 0) {
      throw UserException.usage("Invalid value " + maxWarmupSeconds + " for --max-warmup: must "
          + "be at least 0");
    }
    if (iterations < 1) {
      throw UserException.usage("Invalid value " + iterations + " for --iterations: must be at least 1");
    }
    for (int w : workers) {
      if (w < 1 || w > 4) {
        throw UserException.usage("Invalid value " + w + " for --workers: each must be in [1, 4] "
            + "(a batch has 4 shards)");
      }
    }
  }

  /** Starts each echo as {@code backstream bench echo} in a child JVM. */
  private static KafkaPingPong.EchoStarter echoInChild(String servers, Path logs) {
    return run -> {
      ChildJvm child = ChildJvm.start("the echo process", logs.resolve("echo.log"),
          List.of("bench", "echo", "--bootstrap", servers, "--run", run));
      return new KafkaPingPong.RunningEcho() {
        @Override
        public void check() {
          child.checkAlive();
        }

        @Override
        public void close() {
          try {
            child.close();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      };
    };
  }

}
