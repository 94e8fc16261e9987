package dev.backstream.reducer.internal;

import dev.backstream.common.protocol.Decoded;
import dev.backstream.common.protocol.GradientFrame;
import dev.backstream.common.protocol.RejectReason;
import dev.backstream.common.protocol.Rejections;
import dev.backstream.common.protocol.StepFrame;
import dev.backstream.common.training.ReducerSubtrees;
import dev.backstream.common.training.ShardSpan;
import dev.backstream.common.training.ShardTree;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * A reducer's state: follows the newest step of the highest generation on the steps topic (as a
 * worker does), keeps the admitted gradient frames of that step inside its subtree, and when they
 * cover the subtree publishes their sum once. A step published again whose plan hands out a shard
 * of the subtree means the coordinator lacks it: the sum, if made, goes out again (a lost record
 * must not stall the run). Frames of a step not seen yet (the steps and gradients partitions are
 * fetched apart) wait in a small buffer.
 *
 * <p>Not thread-safe: its Kafka side calls it from one thread at a time.
 */
public final class SubtreeReducer {
  /** Frames of a step ahead of the one followed, kept until it opens. */
  static final int EARLY_FRAMES = 32;

  private final String run;
  private final int subtreeIndex;
  private final int reducers;
  private final String sender;
  private final ReducerOutput output;
  private final Rejections rejections;
  private final Deque<GradientFrame> early = new ArrayDeque<>();
  private GradientAdmission admission;
  private SubtreeRound round;
  private long sums;

  /**
   * @param run the run name
   * @param subtreeIndex r, the subtree this reducer adds up, in [0, reducers)
   * @param reducers the run's R
   * @param sender this reducer's id, in its sums and heartbeats
   * @param output where sums go
   * @param rejections where refused records are counted
   */
  public SubtreeReducer(String run, int subtreeIndex, int reducers, String sender,
      ReducerOutput output, Rejections rejections) {
    this.run = run;
    this.subtreeIndex = subtreeIndex;
    this.reducers = reducers;
    this.sender = sender;
    this.output = output;
    this.rejections = rejections;
  }

  /** A step frame from the steps topic. */
  public void onStep(StepFrame f) {
    if (!f.run().equals(run)) {
      rejections.reject(RejectReason.WRONG_RUN, "step of run '" + f.run() + "'");
      return;
    }
    if (round != null && f.generation() == round.generation() && f.step() == round.step()) {
      resent(f);
      return;
    }
    if (round != null && (f.generation() < round.generation()
        || f.generation() == round.generation() && f.step() < round.step())) {
      rejections.reject(f.generation() < round.generation() ? RejectReason.STALE_GENERATION
          : RejectReason.STALE_STEP, "step " + f.step() + " of generation " + f.generation());
      return;
    }
    if (admission == null || admission.tree().shards() != f.shardCount()
        || admission.dtype() != f.dtype() || admission.parameters() != f.paramsShared().length()) {
      Optional<GradientAdmission> made = admissionFor(f);
      if (made.isEmpty()) {
        return;
      }
      admission = made.get();
    }
    round = new SubtreeRound(f.generation(), f.step(), admission.tree(), admission.subtree());
    List<GradientFrame> waiting = new ArrayList<>(early);
    early.clear();
    for (GradientFrame g : waiting) {
      if (!isBehind(g)) {
        onGradient(g);
      }
    }
  }

  private Optional<GradientAdmission> admissionFor(StepFrame f) {
    ShardTree tree = new ShardTree(f.shardCount(), f.dtype());
    if (reducers > tree.shards()) {
      rejections.reject(RejectReason.BAD_VALUE, "a run of " + tree.shards() + " shards cannot have "
          + reducers + " reducer subtrees");
      return Optional.empty();
    }
    ShardSpan subtree = ReducerSubtrees.of(tree, reducers).subtree(subtreeIndex);
    return Optional.of(
        new GradientAdmission(tree, subtree, f.paramsShared().length(), f.dtype()));
  }

  /** The open step published again: if it hands out a shard of ours, our sum did not arrive. */
  private void resent(StepFrame f) {
    if (!round.published()) {
      return;
    }
    ShardSpan subtree = admission.subtree();
    for (int k = subtree.first(); k < subtree.end(); k++) {
      if (!f.shardOwner(k).isEmpty()) {
        publish();
        return;
      }
    }
  }

  /** A gradient frame from this subtree's partition. */
  public void onGradient(GradientFrame f) {
    if (!f.run().equals(run)) {
      rejections.reject(RejectReason.WRONG_RUN, "run '" + f.run() + "'");
      return;
    }
    if (round == null || isAhead(f)) {
      if (early.size() == EARLY_FRAMES) {
        early.removeFirst();
      }
      early.addLast(f);
      return;
    }
    if (f.generation() != round.generation()) {
      rejections.reject(RejectReason.STALE_GENERATION, "generation " + f.generation());
      return;
    }
    if (f.step() != round.step()) {
      rejections.reject(RejectReason.STALE_STEP, "step " + f.step() + " while at " + round.step());
      return;
    }
    Optional<Decoded.Rejected> problem = admission.problem(f);
    if (problem.isPresent()) {
      rejections.reject(problem.get().reason(), problem.get().detail());
      return;
    }
    if (!round.offer(f)) {
      rejections.reject(RejectReason.DUPLICATE, f.firstShard() + "+" + f.shardCount()
          + " of step " + f.step());
      return;
    }
    if (round.complete() && !round.published()) {
      publish();
    }
  }

  private boolean isAhead(GradientFrame f) {
    return f.generation() > round.generation()
        || f.generation() == round.generation() && f.step() > round.step();
  }

  private boolean isBehind(GradientFrame f) {
    return f.generation() < round.generation()
        || f.generation() == round.generation() && f.step() < round.step();
  }

  private void publish() {
    output.publishSum(round.sum(run, sender));
    round.markPublished();
    sums++;
  }

  /** A record that failed decoding. */
  public void onRejected(RejectReason reason, String detail) {
    rejections.reject(reason, detail);
  }

  /** Sums published so far, re-sends included. */
  public long sumsPublished() {
    return sums;
  }
}
