package dev.backstream.coordinator.training;

import java.util.Map;

/**
 * A distributed run's counters at one moment.
 *
 * @param liveWorkers worker actors alive
 * @param shardsResent shards handed to another worker after their deadline, since the start
 * @param framesRejected records rejected, since the start
 * @param rejectedByReason the same by reason (a {@code RejectReason} name)
 * @param gradientsKept gradient frames the coordinator kept, since the start: about one per tree
 *     node a step arrives in, so reducers make it smaller
 */
public record ClusterStats(
    int liveWorkers, long shardsResent, long framesRejected, Map<String, Long> rejectedByReason,
    long gradientsKept) {

  /** Counters of a run whose kept gradients are not known (a metrics line's). */
  public ClusterStats(
      int liveWorkers, long shardsResent, long framesRejected, Map<String, Long> rejectedByReason) {
    this(liveWorkers, shardsResent, framesRejected, rejectedByReason, 0);
  }

  /** The in-process trainer: no cluster. */
  public static final ClusterStats LOCAL = new ClusterStats(0, 0, 0, Map.of());

  public ClusterStats {
    rejectedByReason = Map.copyOf(rejectedByReason);
  }
}
