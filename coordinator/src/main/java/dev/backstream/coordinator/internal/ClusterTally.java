package dev.backstream.coordinator.internal;

import dev.backstream.common.protocol.RejectReason;
import dev.backstream.common.protocol.Rejections;
import dev.backstream.coordinator.training.ClusterStats;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * The run's trouble counters, kept in one place so that the figures the listener sees every
 * second and those in each epoch's report are the same sum: records this coordinator refused,
 * those each worker process says it refused, and shards handed out again.
 *
 * <p>Not thread-safe: the step actor owns it.
 */
final class ClusterTally {
  private final Rejections rejections;
  /**
   * Each worker process's own rejection counts, from its newest heartbeat: a heartbeat carries
   * the process's totals, so a newer one replaces the older rather than adding to it.
   */
  private final Map<String, Map<String, Long>> byWorker = new HashMap<>();
  private long shardsResent;
  private long gradientsKept;

  /**
   * @param log where the coordinator's own rejections are logged, at most once a minute a reason
   * @param clock nanosecond time source
   */
  ClusterTally(Logger log, LongSupplier clock) {
    this.rejections = new Rejections(log, "record", clock);
  }

  /** Counts a record this coordinator refused. */
  void reject(RejectReason reason, String detail) {
    rejections.reject(reason, detail);
  }

  /** Keeps a worker process's totals; one that has refused nothing takes no room. */
  void workerReported(String workerId, Map<String, Long> rejectedByReason) {
    if (!rejectedByReason.isEmpty()) {
      byWorker.put(workerId, rejectedByReason);
    }
  }

  /** Counts a gradient frame kept for its step. */
  void kept() {
    gradientsKept++;
  }

  /** Counts shards handed to other workers after their deadline. */
  void resent(int shards) {
    shardsResent += shards;
  }

  /** The counters now, the coordinator's and the workers' rejections added by reason. */
  ClusterStats stats(int liveWorkers) {
    Map<String, Long> byReason = new TreeMap<>(rejections.byReason());
    for (Map<String, Long> worker : byWorker.values()) {
      worker.forEach((reason, n) -> byReason.merge(reason, n, Long::sum));
    }
    long total = 0;
    for (long n : byReason.values()) {
      total += n;
    }
    return new ClusterStats(liveWorkers, shardsResent, total, byReason, gradientsKept);
  }
}
