package dev.backstream.coordinator.internal;

import dev.backstream.common.protocol.StepFrame;
import dev.backstream.common.training.ShardTree;
import dev.backstream.coordinator.step.ShardAssignment;
import dev.backstream.coordinator.step.StepDeadline;
import dev.backstream.coordinator.step.StepRound;
import dev.backstream.coordinator.training.BatchSampler;
import dev.backstream.coordinator.training.TrainingSettings;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The step the coordinator is at and, while it is out, its round, batch, shard plan and deadline.
 * They change together: a plan is only meaningful for its step and attempt, so a deadline or a
 * goodbye that names an older one must find nothing to act on.
 *
 * <p>Not thread-safe: the step actor owns it.
 */
final class CurrentStep {
  private final CoordinatorSetup setup;
  private final ShardTree tree;
  private final int trainSize;
  private final StepDeadline deadline;
  private long step;
  private StepRound round;
  private int[] batch;
  private String[] owners;
  private int attempt;
  private long startedNanos;

  /** Starts at the setup's first step (0, or a checkpoint's) with no step out. */
  CurrentStep(CoordinatorSetup setup) {
    this.setup = setup;
    this.tree = new ShardTree(setup.settings().shards());
    this.trainSize = setup.dataset().train().count();
    this.deadline = new StepDeadline(setup.deadlineFloor().toNanos(), setup.deadlineFactor(), 50);
    this.step = setup.firstStep();
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

  /** Opens the step with its batch and every shard planned over the live workers, as attempt 0. */
  void open(List<String> live, long nowNanos) {
    TrainingSettings settings = setup.settings();
    batch = BatchSampler.batch(settings.seed(), step, trainSize, settings.batch());
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

  /**
   * The open step's frame with the current plan.
   *
   * @param params the parameters of the step (copied)
   */
  StepFrame frame(double[] params) {
    TrainingSettings settings = setup.settings();
    return new StepFrame(setup.run(), setup.generation(), step, params, batch, tree.shards(),
        owners, settings.hidden(), settings.activation().id());
  }

  /**
   * How long to wait for this attempt's shards: the step deadline, doubled with each attempt up
   * to 16 times, so that workers that are only slow are not flooded with copies of the work.
   */
  Duration patience() {
    return Duration.ofNanos(deadline.deadlineNanos() << Math.min(attempt, 4));
  }

  /** The current plan, owner by shard, for the log. */
  String plan() {
    return Arrays.toString(owners);
  }

  /** Closes the open step, its time counting towards later deadlines, and moves to the next. */
  void close(long nowNanos) {
    deadline.record(nowNanos - startedNanos);
    round = null;
    step++;
  }
}
