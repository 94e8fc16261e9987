package dev.backstream.coordinator.internal;

import dev.backstream.common.protocol.WorkerHeartbeat;
import dev.backstream.common.protocol.WorkerIds;
import dev.backstream.coordinator.step.Membership;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;

/**
 * Who the step actor can hand shards to. A heartbeat names a worker process, but plans name its
 * actors, so each heartbeat is expanded into them; a gradient is a sign of life too, so a worker
 * whose heartbeats are late is not dropped while it delivers. Each join and leave is logged once.
 *
 * <p>Not thread-safe: the step actor owns it.
 */
final class WorkerRoster {
  private final Membership membership;
  private final Logger log;
  /** Actors that said goodbye, until a heartbeat names them again. */
  private final Set<String> departed = new HashSet<>();

  /**
   * @param timeout silence after which a worker counts as gone
   * @param log where joins and leaves are logged (INFO)
   */
  WorkerRoster(Duration timeout, Logger log) {
    this.membership = new Membership(timeout.toNanos());
    this.log = log;
  }

  /**
   * Records a gradient from one worker actor as a sign of life, unless the actor said goodbye:
   * gradients and goodbyes come on different topics, so one sent before leaving can arrive after,
   * and a departed worker made live again would be planned shards it never computes.
   */
  void seen(String worker, long nowNanos) {
    if (!departed.contains(worker)) {
      alive(worker, nowNanos);
    }
  }

  private void alive(String worker, long nowNanos) {
    if (membership.seen(worker, nowNanos)) {
      log.info("worker {} joined", worker);
    }
  }

  /**
   * Records a heartbeat, or a goodbye, for each of the process's actors.
   *
   * @return the actors a goodbye names, whether known or not; empty for a heartbeat
   */
  List<String> heartbeat(WorkerHeartbeat hb, long nowNanos) {
    List<String> leaving = new ArrayList<>();
    for (int k = 0; k < hb.actors(); k++) {
      String id = WorkerIds.actor(hb.workerId(), k);
      if (hb.leaving()) {
        if (membership.left(id)) {
          log.info("worker {} left", id);
        }
        departed.add(id);
        leaving.add(id);
      } else {
        // a heartbeat after a goodbye is a process that came back under its id
        departed.remove(id);
        alive(id, nowNanos);
      }
    }
    return leaving;
  }

  /** The live worker actors in a stable (sorted) order; forgets the silent ones. */
  List<String> live(long nowNanos) {
    return membership.live(nowNanos);
  }
}
