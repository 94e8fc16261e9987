package dev.backstream.coordinator.step;

import dev.backstream.common.nn.FlatVector;
import dev.backstream.common.training.ShardSpan;
import dev.backstream.common.training.ShardTree;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The gradient sums collected for one step. Keeps the first valid sum for each part of the tree
 * and drops any that lies inside one already kept, so a shard computed twice (after a hand-out to
 * another worker) counts once, and whichever arrives first wins: the bits are the same either way.
 * A sum of a node that holds kept ones (a reducer's subtree after some of its leaves came here
 * directly) replaces them: two nodes of the tree either nest or are disjoint, and a node's sum is
 * the tree-order sum of its parts, so the bits are again the same, and the step never waits for
 * a part that now goes to the reducer alone.
 */
public final class StepRound {
  /** What became of an offered sum. */
  public enum Offer {
    /** Kept. */
    ACCEPTED,
    /** Lies inside a sum already kept: a duplicate or a late copy of a re-sent shard. */
    DUPLICATE,
    /** Not a node of this run's tree, or outside its shards. */
    BAD_SHARD
  }

  private final long step;
  private final ShardTree tree;
  private final Map<ShardSpan, FlatVector> parts = new HashMap<>();
  private final Map<ShardSpan, Double> lossSums = new HashMap<>();
  private final Map<ShardSpan, Long> sampleCounts = new HashMap<>();
  private final Map<ShardSpan, Long> correctCounts = new HashMap<>();
  private long samples;
  private long correct;

  /**
   * @param step the step these sums belong to
   * @param tree the run's reduction tree
   */
  public StepRound(long step, ShardTree tree) {
    this.step = step;
    this.tree = tree;
  }

  /** The step number. */
  public long step() {
    return step;
  }

  /**
   * Offers the sum of the shards in {@code span}.
   *
   * @param sum kept by reference: the caller hands it over
   */
  public Offer offer(ShardSpan span, FlatVector sum, long spanSamples, double spanLossSum, long spanCorrect) {
    if (!tree.isNode(span)) {
      return Offer.BAD_SHARD;
    }
    for (ShardSpan kept : parts.keySet()) {
      if (kept.contains(span)) {
        return Offer.DUPLICATE;
      }
    }
    // what is left overlapping lies inside span (tree nodes nest): span's sum stands for it
    List<ShardSpan> inside = new ArrayList<>();
    for (ShardSpan kept : parts.keySet()) {
      if (span.contains(kept)) {
        inside.add(kept);
      }
    }
    for (ShardSpan kept : inside) {
      parts.remove(kept);
      lossSums.remove(kept);
      samples -= sampleCounts.remove(kept);
      correct -= correctCounts.remove(kept);
    }
    parts.put(span, sum);
    lossSums.put(span, spanLossSum);
    sampleCounts.put(span, spanSamples);
    correctCounts.put(span, spanCorrect);
    samples += spanSamples;
    correct += spanCorrect;
    return Offer.ACCEPTED;
  }

  /** True when every shard is covered. */
  public boolean complete() {
    return tree.covers(parts.keySet());
  }

  /** The shards no kept sum covers yet, ascending. */
  public Set<Integer> missingShards() {
    Set<Integer> missing = new TreeSet<>();
    for (int k = 0; k < tree.shards(); k++) {
      missing.add(k);
    }
    for (ShardSpan kept : parts.keySet()) {
      for (int k = kept.first(); k < kept.end(); k++) {
        missing.remove(k);
      }
    }
    return missing;
  }

  /** The step's gradient sum, added in the tree's order. Requires {@link #complete()}. */
  public FlatVector reduce() {
    return tree.reduce(parts);
  }

  /** Samples covered by the kept sums. */
  public long samples() {
    return samples;
  }

  /**
   * Sum of the per-sample losses, added in the tree's order as the gradients are: the same bits
   * as the local trainer's whoever held which node. Requires {@link #complete()}.
   */
  public double lossSum() {
    return tree.reduceScalars(lossSums);
  }

  /** Samples the step's parameters classified right, over the kept sums. */
  public long correct() {
    return correct;
  }
}
