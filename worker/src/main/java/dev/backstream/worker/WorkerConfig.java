package dev.backstream.worker;

import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.protocol.RunKey;
import java.time.Duration;

/**
 * How a worker process joins a run.
 *
 * @param kafka client settings
 * @param run the run name
 * @param workerId this process's id, unique in the run; its actors are {@code <workerId>/<k>}
 * @param actors worker actors in this process, at least 1; each computes on its own thread
 * @param heartbeatEvery how often the process says it is alive
 * @param runKey signs gradients and checks steps, or {@link RunKey#NONE}
 */
public record WorkerConfig(
    KafkaSettings kafka, String run, String workerId, int actors, Duration heartbeatEvery,
    RunKey runKey) {

  public WorkerConfig {
    if (actors < 1) {
      throw new IllegalArgumentException("Invalid value " + actors + " for --actors: must be at least 1");
    }
  }

  /** A worker with an id from host, pid and a random suffix, heartbeats every 500 ms. */
  public static WorkerConfig of(KafkaSettings kafka, String run, int actors) {
    return new WorkerConfig(kafka, run, defaultId(), actors, Duration.ofMillis(500), RunKey.NONE);
  }

  /** This config with frames signed and checked under {@code key}. */
  public WorkerConfig withRunKey(RunKey key) {
    return new WorkerConfig(kafka, run, workerId, actors, heartbeatEvery, key);
  }

  /** host-pid-random: unique even when a process restarts with the same pid. */
  public static String defaultId() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "worker";
    }
    long pid = ProcessHandle.current().pid();
    String suffix = Long.toString(java.util.concurrent.ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36);
    return host + "-" + pid + "-" + suffix;
  }
}
