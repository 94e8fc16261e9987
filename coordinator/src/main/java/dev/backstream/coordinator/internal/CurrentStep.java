package dev.backstream.coordinator.internal;

import dev.backstream.common.protocol.StepFrame;
import dev.backstream.common.training.ShardTree;
import dev.backstream.coordinator.step.ShardAssignment;
import dev.backstream.coordinator.step.StepRound;
import dev.backstream.coordinator.training.TrainingSettings;
import java.util.Arrays;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The step the coordinator is at and, while it is out, its round, batch and shard plan. They
 * change together: a plan is only meaningful for its step and attempt, so a deadline or a goodbye
 * that names an older one must find nothing to act on.
 *
 * <p>Not thread-safe: the step actor owns it.
 */
final class CurrentStep {
  private final ShardTree tree;
  private long step;
  private StepRound round;
  private int[] batch;
  private String[] owners;
  private int attempt;
  private long startedNanos;

  /**
   * @param tree the run's reduction tree
   * @param firstStep the step to start at (0, or a checkpoint's)
   */
  CurrentStep(ShardTree tree, long firstStep) {
    this.tree = tree;
    this.step = firstStep;
  }

  /** The steps done: the number of the next (or open) step. */
  long step() {
    return step;
  }

  /** How often the open step's missing shards were handed out again. */
  int attempt() {
    return attempt;
  }

  /** The open step's sums; null while no step is out (no workers yet, or the run is done). */
  StepRound round() {
    return round;
  }

  /** Opens the step with every shard planned over the live workers, as attempt 0. */
  void open(int[] batch, List<String> live, long nowNanos) {
    this.batch = batch;
    round = new StepRound(step, tree);
    owners = new String[tree.shards()];
    // a fresh round misses every shard
    ShardAssignment.assign(new TreeSet<>(round.missingShards()), live, 0, owners);
    attempt = 0;
    startedNanos = nowNanos;
  }

  /**
   * Hands the shards not in yet to the live workers under the next attempt. The plan names only
   * those shards: a worker computes what a version asks for, so the others are not done twice.
   *
   * @return the shards handed out
   */
  SortedSet<Integer> handOutMissing(List<String> live) {
    SortedSet<Integer> missing = new TreeSet<>(round.missingShards());
    attempt++;
    owners = new String[tree.shards()];
    Arrays.fill(owners, "");
    ShardAssignment.assign(missing, live, attempt, owners);
    return missing;
  }

  /** Whether a deadline set for this step and attempt still stands. */
  boolean isCurrent(long deadlineStep, int deadlineAttempt) {
    return round != null && deadlineStep == step && deadlineAttempt == attempt;
  }

  /** Whether the worker holds a shard of the open step that is not in yet. */
  boolean owes(String worker) {
    if (round == null) {
      return false;
    }
    for (int k : round.missingShards()) {
      if (worker.equals(owners[k])) {
        return true;
      }
    }
    return false;
  }

  /** The open step's frame with the current plan. */
  StepFrame frame(String run, long generation, double[] params, TrainingSettings settings) {
    return new StepFrame(run, generation, step, params, batch, tree.shards(), owners,
        settings.hidden(), settings.activation().id());
  }

  /** The current plan, owner by shard, for the log. */
  String plan() {
    return Arrays.toString(owners);
  }

  /**
   * Closes the open step and moves to the next.
   *
   * @return how long the step took, in nanoseconds
   */
  long close(long nowNanos) {
    round = null;
    step++;
    return nowNanos - startedNanos;
  }
}
