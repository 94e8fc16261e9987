package dev.backstream.reducer.internal;

import dev.backstream.common.nn.FlatVector;
import dev.backstream.common.protocol.GradientFrame;
import dev.backstream.common.training.ShardSpan;
import dev.backstream.common.training.ShardTree;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The admitted gradient frames of one step inside one subtree, and their sum once they cover it.
 * The coordinator's rule for one step, on a subtree: the first frame of a node is kept, one lying
 * inside a kept node is a duplicate, one holding kept nodes replaces them (tree nodes nest or are
 * disjoint, and a node's sum is the tree-order sum of its parts, so the bits do not depend on
 * which came first).
 *
 * <p>Not thread-safe.
 */
final class SubtreeRound {
  private final long generation;
  private final long step;
  private final ShardTree tree;
  private final ShardSpan subtree;
  private final Map<ShardSpan, GradientFrame> kept = new HashMap<>();
  private boolean published;

  /**
   * @param tree the run's reduction tree
   * @param subtree the node this round adds up
   */
  SubtreeRound(long generation, long step, ShardTree tree, ShardSpan subtree) {
    this.generation = generation;
    this.step = step;
    this.tree = tree;
    this.subtree = subtree;
  }

  long generation() {
    return generation;
  }

  long step() {
    return step;
  }

  /**
   * Keeps {@code f}, whose node must lie inside the subtree (see {@link GradientAdmission}).
   *
   * @return false if it lies inside a node already kept
   */
  boolean offer(GradientFrame f) {
    ShardSpan span = new ShardSpan(f.firstShard(), f.shardCount());
    List<ShardSpan> inside = new ArrayList<>();
    for (ShardSpan k : kept.keySet()) {
      if (k.contains(span)) {
        return false;
      }
      if (span.contains(k)) {
        inside.add(k);
      }
    }
    inside.forEach(kept::remove);
    kept.put(span, f);
    return true;
  }

  /** Whether the kept nodes cover the subtree: they are disjoint, so their shards add up to it. */
  boolean complete() {
    int shards = 0;
    for (ShardSpan k : kept.keySet()) {
      shards += k.count();
    }
    return shards == subtree.count();
  }

  /** Whether this round's sum has gone out. */
  boolean published() {
    return published;
  }

  /** Marks the sum as gone out. */
  void markPublished() {
    published = true;
  }

  /**
   * The subtree's frame: gradients and loss sums added in the tree's order (the bits the
   * coordinator would compute from the same nodes), samples and correct counts summed. Requires
   * {@link #complete()}.
   *
   * @param sender this reducer's id
   */
  GradientFrame sum(String run, String sender) {
    Map<ShardSpan, FlatVector> parts = new HashMap<>();
    Map<ShardSpan, Double> losses = new HashMap<>();
    int samples = 0;
    int correct = 0;
    for (Map.Entry<ShardSpan, GradientFrame> e : kept.entrySet()) {
      GradientFrame f = e.getValue();
      // read only: the tree's sum is a fresh array, or a kept frame's own, which nothing writes
      parts.put(e.getKey(), f.gradientSumShared());
      losses.put(e.getKey(), f.lossSum());
      samples += f.sampleCount();
      correct += f.correctCount();
    }
    FlatVector sum = tree.sum(subtree, parts);
    double loss = tree.sumScalars(subtree, losses);
    return GradientFrame.handingOver(run, generation, step, subtree.first(), subtree.count(),
        sender, samples, loss, correct, sum);
  }
}
