package dev.backstream.worker.internal;

import dev.backstream.common.protocol.Admission;
import dev.backstream.common.protocol.RejectReason;
import dev.backstream.common.protocol.StepFrame;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which step a worker process follows and what each of its actors computes: at most one piece of
 * work running per actor and at most one waiting, and only ever for the step followed. A step of
 * a higher generation, or a later step of the same one, replaces what waits; what runs finishes
 * (an actor cannot be interrupted) and its shards are not asked for twice.
 *
 * <p>The highest generation seen is the generation of the step followed: a step is followed only
 * if it is not behind, so generations never go down.
 *
 * <p>Not thread-safe: the node actor owns it. Uses no time: the coordinator decides when a shard
 * is late.
 */
final class ShardSchedule {

  /**
   * Shards of a step for one actor to compute.
   *
   * @param actor the actor's number in its process
   * @param frame the step
   * @param shards the shards, all given to this actor by the frame's plan (not copied)
   */
  record Work(int actor, StepFrame frame, SortedSet<Integer> shards) {}

  private final List<String> actorIds;
  private final Work[] pending;
  private final Work[] running;
  private StepFrame followed;

  /** @param actorIds the ids the coordinator's plans give this process's actors, by number */
  ShardSchedule(List<String> actorIds) {
    this.actorIds = List.copyOf(actorIds);
    this.pending = new Work[actorIds.size()];
    this.running = new Work[actorIds.size()];
  }

  /** The step followed: the newest accepted; null before any. */
  StepFrame followed() {
    return followed;
  }

  /**
   * Why {@code f} comes too late to be followed: a generation below the highest seen, or an
   * earlier step of the same generation.
   *
   * @param newer a step of the same poll accepted before {@code f}, which it must not be behind
   *     either; null for none, so that {@code f} is compared with the step followed
   * @return admitted if {@code f} may be followed, else the reason, to be counted
   */
  Admission behind(StepFrame f, StepFrame newer) {
    StepFrame current = newer != null ? newer : followed;
    if (current == null) {
      return Admission.ADMITTED;
    }
    if (f.generation() < current.generation()) {
      return Admission.rejected(RejectReason.STALE_GENERATION,
          "generation " + f.generation() + " after " + current.generation());
    }
    if (f.generation() == current.generation() && f.step() < current.step()) {
      return Admission.rejected(RejectReason.STALE_STEP,
          "step " + f.step() + " after " + current.step());
    }
    return Admission.ADMITTED;
  }

  /**
   * Follows {@code f}, which must not be {@link #behind} the step followed: each actor that the
   * plan gives shards not already running gets them now if it is idle, or next if it is busy
   * (replacing what waited). A new step drops every waiting piece of an older one.
   *
   * @return the work to hand to idle actors now, by actor number; now running
   */
  List<Work> follow(StepFrame f) {
    if (followed == null || !sameStep(f, followed)) {
      Arrays.fill(pending, null);
    }
    followed = f;
    List<Work> start = new ArrayList<>();
    for (int k = 0; k < actorIds.size(); k++) {
      SortedSet<Integer> mine = new TreeSet<>();
      for (int shard = 0; shard < f.spec().shards(); shard++) {
        if (actorIds.get(k).equals(f.shardOwner(shard))) {
          mine.add(shard);
        }
      }
      // what is already being computed for this step will be sent anyway
      if (running[k] != null && sameStep(running[k].frame(), f)) {
        mine.removeAll(running[k].shards());
      }
      if (mine.isEmpty()) {
        continue;
      }
      Work work = new Work(k, f, mine);
      if (running[k] == null) {
        running[k] = work;
        start.add(work);
      } else {
        pending[k] = work;
      }
    }
    return start;
  }

  /**
   * Notes that actor {@code actor} has published what it ran.
   *
   * @return what it computes next, now running: what waited for it, if that is still of the step
   *     followed, less the shards it has just sent; empty if nothing is left
   */
  Optional<Work> computed(int actor) {
    Work finished = running[actor];
    running[actor] = null;
    Work next = pending[actor];
    pending[actor] = null;
    if (next == null || !sameStep(next.frame(), followed)) {
      return Optional.empty();
    }
    SortedSet<Integer> left = new TreeSet<>(next.shards());
    if (finished != null && sameStep(finished.frame(), next.frame())) {
      left.removeAll(finished.shards());
    }
    if (left.isEmpty()) {
      return Optional.empty();
    }
    running[actor] = new Work(actor, next.frame(), left);
    return Optional.of(running[actor]);
  }

  /**
   * The shards of the step followed that an actor is computing (for any version of the step) or
   * has waiting: the node holds the leaves already computed until these come in.
   */
  Set<Integer> owed() {
    Set<Integer> owed = new HashSet<>();
    for (int k = 0; k < actorIds.size(); k++) {
      for (Work work : new Work[] {running[k], pending[k]}) {
        if (work != null && sameStep(work.frame(), followed)) {
          owed.addAll(work.shards());
        }
      }
    }
    return owed;
  }

  /** Whether two frames are versions of one step: the same generation and step number. */
  static boolean sameStep(StepFrame a, StepFrame b) {
    return a.generation() == b.generation() && a.step() == b.step();
  }
}
