package dev.backstream.coordinator;

import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.protocol.RunKey;
import dev.backstream.common.protocol.RunSpec;
import dev.backstream.common.training.ReducerSubtrees;
import dev.backstream.coordinator.training.Evaluations;
import java.time.Duration;
import java.util.Objects;

/**
 * How a coordinator reaches Kafka and paces its steps.
 *
 * @param kafka client settings (bootstrap servers and the user's properties)
 * @param run the run name; its topics are {@code backstream.<run>.*}
 * @param settings what is trained
 * @param memberTimeout silence after which a worker counts as gone
 * @param deadlineFloor the shortest wait before a late shard is handed out again
 * @param deadlineFactor the wait as a multiple of the median step time
 * @param connectTimeout how long to wait for the broker before giving up with a message
 * @param runKey signs steps and checkpoints and checks gradients, or {@link RunKey#NONE}
 * @param checkpointEvery steps between checkpoints, at least 1 (every epoch's end has one too)
 * @param evaluations which parameters are scored on the full sets: every epoch's (the default),
 *     or the last step's only (benchmarks)
 * @param reducers the run's reducer subtrees R, in [0, shards], fixed the first time they are
 *     set; -1 for whatever the run's gradients topic has (0 for a new run)
 */
public record CoordinatorConfig(
    KafkaSettings kafka,
    String run,
    RunSpec settings,
    Duration memberTimeout,
    Duration deadlineFloor,
    double deadlineFactor,
    Duration connectTimeout,
    RunKey runKey,
    int checkpointEvery,
    Evaluations evaluations,
    int reducers) {

  /** Reducers as the run's gradients topic has them. */
  public static final int REDUCERS_AS_THE_RUN_HAS = -1;

  /** The default checkpoint interval, in steps. */
  public static final int DEFAULT_CHECKPOINT_EVERY = 100;

  /** Checks the checkpoint interval. */
  public CoordinatorConfig {
    if (checkpointEvery < 1) {
      throw new IllegalArgumentException(
          "Invalid value " + checkpointEvery + " for --checkpoint-every: must be at least 1");
    }
    Objects.requireNonNull(evaluations, "evaluations");
    if (reducers != REDUCERS_AS_THE_RUN_HAS) {
      ReducerSubtrees.invalidCount(reducers, settings.shards()).ifPresent(why -> {
        throw new IllegalArgumentException(why);
      });
    }
  }

  /** Defaults: 2 s member timeout, deadline 5x the median step and at least 250 ms. */
  public static CoordinatorConfig of(KafkaSettings kafka, String run, RunSpec settings) {
    return new CoordinatorConfig(
        kafka, run, settings, Duration.ofSeconds(2), Duration.ofMillis(250), 5.0,
        Duration.ofSeconds(30), RunKey.NONE, DEFAULT_CHECKPOINT_EVERY, Evaluations.EVERY_EPOCH,
        REDUCERS_AS_THE_RUN_HAS);
  }

  /** This config with frames signed and checked under {@code key}. */
  public CoordinatorConfig withRunKey(RunKey key) {
    return new CoordinatorConfig(kafka, run, settings, memberTimeout, deadlineFloor, deadlineFactor,
        connectTimeout, key, checkpointEvery, evaluations, reducers);
  }

  /** This config waiting {@code timeout} for the broker before giving up. */
  public CoordinatorConfig withConnectTimeout(Duration timeout) {
    return new CoordinatorConfig(kafka, run, settings, memberTimeout, deadlineFloor, deadlineFactor,
        timeout, runKey, checkpointEvery, evaluations, reducers);
  }

  /** This config with a checkpoint every {@code steps} steps. */
  public CoordinatorConfig withCheckpointEvery(int steps) {
    return new CoordinatorConfig(kafka, run, settings, memberTimeout, deadlineFloor, deadlineFactor,
        connectTimeout, runKey, steps, evaluations, reducers);
  }

  /** This config scoring the parameters {@code which} times. */
  public CoordinatorConfig withEvaluations(Evaluations which) {
    return new CoordinatorConfig(kafka, run, settings, memberTimeout, deadlineFloor, deadlineFactor,
        connectTimeout, runKey, checkpointEvery, which, reducers);
  }

  /**
   * This config giving the run {@code count} reducer subtrees (see {@code ReducerSubtrees}), or
   * {@link #REDUCERS_AS_THE_RUN_HAS}.
   */
  public CoordinatorConfig withReducers(int count) {
    return new CoordinatorConfig(kafka, run, settings, memberTimeout, deadlineFloor, deadlineFactor,
        connectTimeout, runKey, checkpointEvery, evaluations, count);
  }
}
