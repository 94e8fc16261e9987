package dev.backstream.coordinator.internal;

import dev.backstream.common.nn.FlatVector;
import dev.backstream.common.protocol.Admission;
import dev.backstream.common.protocol.GradientFrame;
import dev.backstream.common.protocol.RunSpec;
import dev.backstream.common.protocol.StepFrame;
import dev.backstream.common.training.GradientRules;
import dev.backstream.common.training.ShardTree;
import dev.backstream.common.training.StepRound;
import dev.backstream.coordinator.step.ShardAssignment;
import dev.backstream.coordinator.step.StepDeadline;
import dev.backstream.coordinator.training.BatchSampler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.slf4j.Logger;

/**
 * The step the coordinator is at and, while it is out, its round, batch, shard plan and deadline.
 * They change together: a plan is only meaningful for its step and attempt, so a deadline or a
 * goodbye that names an older one must find nothing to act on.
 *
 * <p>Not thread-safe: the step actor owns it.
 */
final class CurrentStep {
  /**
   * Every so many steps the frame carries all parameters even when the live workers did not
   * change: a worker that could not complete a step's changes (it missed a record) waits at most
   * this many steps, rather than for a deadline.
   */
  static final int COMPLETE_EVERY = 100;

  private final CoordinatorSetup setup;
  private final Logger log;
  private final ShardTree tree;
  private final GradientRules rules;
  private final int trainSize;
  private final StepDeadline deadline;
  private long step;
  private StepRound round;
  private int[] batch;
  private String[] owners;
  /** The live workers of the step opened before this one, who read its frame. */
  private List<String> liveBefore = List.of();
  private boolean sameLive;
  private int attempt;
  private long startedNanos;

  /**
   * Starts at the setup's first step (0, or a checkpoint's) with no step out.
   *
   * @param log where each plan and each offered sum is logged (DEBUG)
   */
  CurrentStep(CoordinatorSetup setup, Logger log) {
    this.setup = setup;
    this.log = log;
    this.tree = new ShardTree(setup.settings().shards(), setup.settings().dtype());
    this.rules = new GradientRules(setup.run(), setup.generation(),
        setup.initialParams().values().length, setup.settings().dtype());
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
    RunSpec settings = setup.settings();
    batch = BatchSampler.batch(settings.seed(), step, trainSize, settings.batch());
    round = new StepRound(step, tree);
    owners = new String[tree.shards()];
    // a fresh round misses every shard
    ShardAssignment.assign(new TreeSet<>(round.missingShards()), live, 0, owners);
    log.debug("step {}: plan {}", step, Arrays.toString(owners));
    sameLive = live.equals(liveBefore);
    liveBefore = List.copyOf(live);
    attempt = 0;
    startedNanos = nowNanos;
  }

  /**
   * Hands the shards not in yet to the live workers under the next attempt, to workers that owe
   * none of them where any such is live: a worker that let its shards pass the deadline is slow
   * or dead, and a dead one stays in the live list until its heartbeats time out. The plan names
   * only those shards: a worker computes what a version asks for, so the others are not done
   * twice.
   *
   * @return how many shards were handed out
   */
  int handOutMissing(List<String> live) {
    SortedSet<Integer> missing = new TreeSet<>(round.missingShards());
    List<String> punctual = new ArrayList<>(live);
    for (int k : missing) {
      punctual.remove(owners[k]);
    }
    attempt++;
    owners = new String[tree.shards()];
    Arrays.fill(owners, "");
    ShardAssignment.assign(missing, punctual.isEmpty() ? live : punctual, attempt, owners);
    log.debug("step {}: {} handed out again (attempt {}): plan {}", step, missing, attempt,
        Arrays.toString(owners));
    return missing.size();
  }

  /** Whether a gradient frame is of this run and generation: see {@link GradientRules#ofRun}. */
  Admission ofRun(GradientFrame f) {
    return rules.ofRun(f);
  }

  /**
   * Offers a gradient frame of this run to the open step, which keeps its sum if it is admitted
   * ({@link GradientRules#intoRound}).
   *
   * @return admitted, or why the sum was not kept, to be counted
   */
  Admission offer(GradientFrame f) {
    Admission admission = rules.intoRound(f, round);
    log.debug("step {}: {}+{} from {} -> {}", f.step(), f.firstShard(), f.shardCount(),
        f.sender(), admission);
    return admission;
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
   * The open step's frame with the current plan: with only the parameters changed since the step
   * before where every live worker read that step's frame (the same live workers, a first
   * attempt), else with all of them.
   *
   * @param params the parameters of the step, in the run's dtype (copied)
   * @param previous the parameters of the step before, published by this coordinator; null if
   *     it published none
   */
  StepFrame frame(FlatVector params, FlatVector previous) {
    if (previous != null && attempt == 0 && sameLive && step % COMPLETE_EVERY != 0) {
      return StepFrame.changedSince(setup.run(), setup.generation(), step, setup.settings(),
          params, previous, batch, owners);
    }
    return new StepFrame(setup.run(), setup.generation(), step, setup.settings(), params, batch,
        owners);
  }

  /**
   * How long to wait for this attempt's shards: the step deadline, doubled with each attempt up
   * to 16 times, so that workers that are only slow are not flooded with copies of the work.
   */
  Duration patience() {
    return Duration.ofNanos(deadline.deadlineNanos() << Math.min(attempt, 4));
  }

  /** Closes the open step, its time counting towards later deadlines, and moves to the next. */
  void close(long nowNanos) {
    deadline.record(nowNanos - startedNanos);
    round = null;
    step++;
  }
}
