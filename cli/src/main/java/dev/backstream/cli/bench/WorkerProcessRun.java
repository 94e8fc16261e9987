package dev.backstream.cli.bench;

import dev.backstream.cli.base.UserException;
import dev.backstream.cli.options.DatasetOptions;
import dev.backstream.cli.process.ChildJvm;
import dev.backstream.common.data.Dataset;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.protocol.RunSpec;
import dev.backstream.common.protocol.Topics;
import dev.backstream.coordinator.Coordinator;
import dev.backstream.coordinator.CoordinatorConfig;
import dev.backstream.coordinator.training.Evaluations;
import dev.backstream.coordinator.training.TrainingSummary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;

/**
 * One timed run of {@code bench step} and {@code bench scale}: a fresh run with {@code count}
 * {@code backstream worker} child JVMs of {@code actors} actors each, and the coordinator in this
 * process, as {@code backstream coordinator} would be in its own. Its topics are deleted afterwards.
 *
 * <p>Workers are started and awaited ("serving") before the coordinator, so JVM start-up and data
 * loading do not reach the step loop; the coordinator then learns of them from their heartbeats
 * (every 500 ms), which the warm-up steps must outlast so that every measured step is shared by
 * all of them. A note is added when the warm-up was too short for that.
 */
final class WorkerProcessRun {
  /** Two heartbeat periods: after this every worker has been seen by the coordinator. */
  private static final Duration JOIN_TIME = Duration.ofSeconds(1);

  private static final Duration SERVING_TIMEOUT = Duration.ofMinutes(2);

  private WorkerProcessRun() {}

  /**
   * Runs {@code settings} with {@code count} worker processes and times its steps.
   *
   * @param runPrefix the run's name before its count and a random suffix ("bench-step")
   * @param warmup the run's first steps, not measured
   * @param notes where to add what the reader of the figures should know (modified)
   * @throws UserException (exit 1) if a worker dies
   */
  static StepTimes measure(KafkaSettings kafka, String runPrefix, int count, int actors,
      DatasetOptions data, Dataset dataset, RunSpec settings, int warmup, Path logs,
      List<String> notes) throws InterruptedException {
    String servers = kafka.bootstrapServers();
    String run = runPrefix + "-" + count + "-" + Long.toHexString(new Random().nextLong());
    List<ChildJvm> children = new ArrayList<>();
    ExecutorService coordinator = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "bench-coordinator");
      t.setDaemon(true);
      return t;
    });
    try {
      for (int i = 1; i <= count; i++) {
        children.add(ChildJvm.start("worker " + i + " of " + count,
            logs.resolve(runPrefix + "-worker-" + count + "-" + i + ".log"),
            List.of("worker", "--bootstrap", servers, "--run", run,
                "--actors", Integer.toString(actors),
                "--dataset", data.dataset().id(), "--data", data.folder().toString())));
      }
      for (ChildJvm child : children) {
        child.awaitOutput("serving run", SERVING_TIMEOUT);
      }
      StepTimes times = new StepTimes(settings.steps());
      Future<TrainingSummary> result = coordinator.submit(
          () -> Coordinator.run(CoordinatorConfig.of(kafka, run, settings)
              .withEvaluations(Evaluations.LAST_STEP), dataset, times));
      TrainingSummary summary = awaitWatching(result, children);
      // the first step runs as soon as one worker is seen; the others follow within a heartbeat
      if (count > 1 && times.endedAt(warmup) - times.endedAt(1) < JOIN_TIME.toNanos()) {
        notes.add(count + " workers: the warm-up took under " + JOIN_TIME.toMillis()
            + " ms, so some measured steps may have run before every worker had joined: "
            + "raise --warmup");
      }
      // the coordinator counts worker actors, not processes
      if (summary.cluster().liveWorkers() != count * actors) {
        notes.add(count + " worker(s): " + summary.cluster().liveWorkers() + " of "
            + count * actors + " worker actors were live at the end of the run");
      }
      if (summary.cluster().shardsResent() > 0) {
        // a re-sent shard means a step waited out a deadline: it shows in the p99, not the median
        notes.add(count + " worker(s): " + summary.cluster().shardsResent()
            + " shard(s) handed out again after a deadline (warm-up included)");
      }
      return times;
    } finally {
      coordinator.shutdownNow();
      for (ChildJvm child : children) {
        child.close();
      }
      deleteTopics(kafka, Topics.forRun(run));
    }
  }

  /** Waits for the coordinator, stopping it if a worker dies: it would wait for workers forever. */
  private static TrainingSummary awaitWatching(Future<TrainingSummary> result,
      List<ChildJvm> children) throws InterruptedException {
    try {
      while (true) {
        try {
          return result.get(1, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
          for (ChildJvm child : children) {
            child.checkAlive();
          }
        }
      }
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("the coordinator failed: " + cause, cause);
    } finally {
      // stops the coordinator (it is interruptible) when we leave early
      result.cancel(true);
    }
  }

  /** Deletes a run's topics, best effort. */
  static void deleteTopics(KafkaSettings kafka, Topics topics) {
    try (Admin admin = Admin.create(kafka.admin("bench-admin"))) {
      KafkaPingPong.deleteQuietly(admin, topics);
    }
  }
}
