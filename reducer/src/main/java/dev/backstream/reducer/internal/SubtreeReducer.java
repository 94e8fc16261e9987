package dev.backstream.reducer.internal;

import dev.backstream.common.protocol.Admission;
import dev.backstream.common.protocol.GradientFrame;
import dev.backstream.common.protocol.RejectReason;
import dev.backstream.common.protocol.Rejected;
import dev.backstream.common.protocol.Rejections;
import dev.backstream.common.protocol.RunSpec;
import dev.backstream.common.protocol.StepFrame;
import dev.backstream.common.training.GradientRules;
import dev.backstream.common.training.ReducerSubtrees;
import dev.backstream.common.training.ShardSpan;
import dev.backstream.common.training.ShardTree;
import dev.backstream.common.training.StepRound;
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
  private ShardTree tree;
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
    Optional<SubtreeRound> opened = open(f);
    if (opened.isEmpty()) {
      return;
    }
    round = opened.get();
    List<GradientFrame> waiting = new ArrayList<>(early);
    early.clear();
    for (GradientFrame g : waiting) {
      if (!isBehind(g)) {
        onGradient(g);
      }
    }
  }

  /** The round of {@code f}'s step, or empty (counted) if the run cannot have our subtree. */
  private Optional<SubtreeRound> open(StepFrame f) {
    RunSpec spec = f.spec();
    if (tree == null || tree.shards() != spec.shards() || tree.dtype() != spec.dtype()) {
      tree = new ShardTree(spec.shards(), spec.dtype());
    }
    if (reducers > tree.shards()) {
      rejections.reject(RejectReason.BAD_VALUE, "a run of " + tree.shards() + " shards cannot have "
          + reducers + " reducer subtrees");
      return Optional.empty();
    }
    ShardSpan subtree = ReducerSubtrees.of(tree, reducers).subtree(subtreeIndex);
    GradientRules rules =
        new GradientRules(run, f.generation(), f.paramsShared().length(), spec.dtype());
    return Optional.of(
        new SubtreeRound(f.generation(), rules, new StepRound(f.step(), tree), subtree));
  }

  /** The open step published again: if it hands out a shard of ours, our sum did not arrive. */
  private void resent(StepFrame f) {
    if (!round.published()) {
      return;
    }
    ShardSpan subtree = round.subtree();
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
    Admission admitted = round.offer(f);
    if (admitted instanceof Rejected no) {
      rejections.reject(no.reason(), no.detail());
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
