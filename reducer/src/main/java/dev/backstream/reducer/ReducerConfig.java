package dev.backstream.reducer;

import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.protocol.RunKey;
import dev.backstream.common.protocol.WorkerIds;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How a reducer process joins a run.
 *
 * @param kafka client settings
 * @param run the run name
 * @param subtree r, the reducer subtree it adds up, at least 0 (below the run's R, checked when it
 *     starts)
 * @param reducerId its id in its sums and heartbeats, unique in the run
 * @param heartbeatEvery how often it says it is alive
 * @param runKey signs sums and checks what it reads, or {@link RunKey#NONE}
 */
public record ReducerConfig(
    KafkaSettings kafka, String run, int subtree, String reducerId, Duration heartbeatEvery,
    RunKey runKey) {

  /** Checks the subtree. */
  public ReducerConfig {
    if (subtree < 0) {
      throw new IllegalArgumentException(
          "Invalid value " + subtree + " for --subtree: must be at least 0");
    }
  }

  /** A reducer with an id from its subtree, host, pid and a random suffix, heartbeats every 500 ms. */
  public static ReducerConfig of(KafkaSettings kafka, String run, int subtree) {
    String id = "reducer-" + subtree + "-" + WorkerIds.host() + "-" + ProcessHandle.current().pid()
        + "-" + Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36);
    return new ReducerConfig(kafka, run, subtree, id, Duration.ofMillis(500), RunKey.NONE);
  }

  /** This config with frames signed and checked under {@code key}. */
  public ReducerConfig withRunKey(RunKey key) {
    return new ReducerConfig(kafka, run, subtree, reducerId, heartbeatEvery, key);
  }
}
