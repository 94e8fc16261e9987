package dev.backstream.coordinator.internal;

import dev.backstream.common.protocol.WorkerHeartbeat;
import dev.backstream.common.protocol.WorkerIds;
import dev.backstream.coordinator.step.Membership;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.slf4j.Logger;

/**
 * Who the step actor can hand shards to. A heartbeat names a worker process, but plans name its
 * actors, so each heartbeat is expanded into them; a gradient is a sign of life too, so a worker
 * whose heartbeats are late is not dropped while it delivers. Each join and leave is logged once.
 *
 * <p>Reducers are kept apart: a reducer's heartbeat makes its subtree reduced elsewhere (the
 * coordinator stops reading that subtree's partition) and never makes it a worker, even though
 * its sums arrive as gradients.
 *
 * <p>Not thread-safe: the step actor owns it.
 */
final class WorkerRoster {
  private final Membership membership;
  private final Logger log;
  /** Actors that said goodbye, until a heartbeat names them again. */
  private final Set<String> departed = new HashSet<>();
  /** Live reducers, by {@code <subtree>/<id>}. */
  private final Membership reducers;
  /** Every reducer id heard of: their gradients are no sign of a worker. */
  private final Set<String> reducerIds = new HashSet<>();

  /**
   * @param timeout silence after which a worker counts as gone
   * @param log where joins and leaves are logged (INFO)
   */
  WorkerRoster(Duration timeout, Logger log) {
    this.membership = new Membership(timeout.toNanos());
    this.reducers = new Membership(timeout.toNanos());
    this.log = log;
  }

  /**
   * Records a gradient from one worker actor as a sign of life, unless the actor said goodbye:
   * gradients and goodbyes come on different topics, so one sent before leaving can arrive after,
   * and a departed worker made live again would be planned shards it never computes.
   */
  void seen(String worker, long nowNanos) {
    if (!departed.contains(worker) && !reducerIds.contains(worker)) {
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
    if (hb.sentByReducer()) {
      reducer(hb, nowNanos);
      return leaving;
    }
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

  private void reducer(WorkerHeartbeat hb, long nowNanos) {
    String id = hb.subtree() + "/" + hb.workerId();
    if (reducerIds.add(hb.workerId()) && membership.left(hb.workerId())) {
      // its sum arrived before its first heartbeat and made it pass for a worker
      log.info("worker {} is a reducer", hb.workerId());
    }
    if (hb.leaving()) {
      if (reducers.left(id)) {
        log.info("reducer {} of subtree {} left", hb.workerId(), hb.subtree());
      }
    } else if (reducers.seen(id, nowNanos)) {
      log.info("reducer {} of subtree {} joined", hb.workerId(), hb.subtree());
    }
  }

  /** The subtrees that a live reducer adds up, ascending; forgets the silent reducers. */
  SortedSet<Integer> reducedSubtrees(long nowNanos) {
    SortedSet<Integer> subtrees = new TreeSet<>();
    for (String id : reducers.live(nowNanos)) {
      subtrees.add(Integer.parseInt(id.substring(0, id.indexOf('/'))));
    }
    return subtrees;
  }

  /** The live worker actors in a stable (sorted) order; forgets the silent ones. */
  List<String> live(long nowNanos) {
    return membership.live(nowNanos);
  }
}
