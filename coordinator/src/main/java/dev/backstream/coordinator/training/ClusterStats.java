package dev.backstream.coordinator.training;

import java.util.Map;

/**
 * A distributed run's counters at one moment.
 *
 * @param liveWorkers worker actors alive
 * @param shardsResent shards handed to another worker after their deadline, since the start
 * @param framesRejected records rejected, since the start
 * @param rejectedByReason the same by reason (a {@code RejectReason} name)
 */
public record ClusterStats(
    int liveWorkers, long shardsResent, long framesRejected, Map<String, Long> rejectedByReason) {

  /** The in-process trainer: no cluster. */
  public static final ClusterStats LOCAL = new ClusterStats(0, 0, 0, Map.of());

  public ClusterStats {
    rejectedByReason = Map.copyOf(rejectedByReason);
  }
}
