package dev.backstream.common.training;

import dev.backstream.common.nn.FlatVector;
import dev.backstream.common.protocol.Admission;
import dev.backstream.common.protocol.GradientFrame;
import dev.backstream.common.protocol.RejectReason;
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
 *
 * <p>Whatever process gathers a step's sums (the coordinator, a reducer of a subtree) keeps them
 * here, behind {@link GradientRules}: with the run's checks, these are the rules a gradient frame
 * is admitted by. Not thread-safe.
 */
public final class StepRound {

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
   * Offers a gradient frame's sum, keeping it (by reference: the frame's own array) if it is
   * admitted: a frame of another step is {@link RejectReason#STALE_STEP}, one whose shards are no
   * node of the run's tree {@link RejectReason#BAD_SHARD}, one that lies inside a sum already
   * kept {@link RejectReason#DUPLICATE}. The frame's run, generation, length and dtype are
   * {@link GradientRules}' to check first.
   */
  public Admission offer(GradientFrame f) {
    if (f.step() != step) {
      return Admission.rejected(RejectReason.STALE_STEP, "step " + f.step() + " while at " + step);
    }
    ShardSpan span;
    try {
      span = new ShardSpan(f.firstShard(), f.shardCount());
    } catch (IllegalArgumentException e) {
      return Admission.rejected(RejectReason.BAD_SHARD, e.getMessage());
    }
    return offer(span, f.gradientSumShared(), f.sampleCount(), f.lossSum(), f.correctCount());
  }

  /**
   * Offers the sum of the shards in {@code span}, keeping it if it is a node of the tree that lies
   * inside no sum kept; it replaces the kept sums that lie inside it.
   *
   * @param sum kept by reference: the caller hands it over
   * @return admitted, or {@link RejectReason#BAD_SHARD} or {@link RejectReason#DUPLICATE}
   */
  public Admission offer(ShardSpan span, FlatVector sum, long spanSamples, double spanLossSum,
      long spanCorrect) {
    if (!tree.isNode(span)) {
      return Admission.rejected(RejectReason.BAD_SHARD, span + " is no node of the tree of "
          + tree.shards() + " shards");
    }
    for (ShardSpan kept : parts.keySet()) {
      if (kept.contains(span)) {
        return Admission.rejected(RejectReason.DUPLICATE, span + " of step " + step
            + " lies inside " + kept + ", kept already");
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
    return Admission.ADMITTED;
  }

  /** True when every shard is covered. */
  public boolean complete() {
    return tree.covers(parts.keySet());
  }

  /** True when the kept sums cover every shard of {@code node}. */
  public boolean covers(ShardSpan node) {
    int shards = 0;
    for (ShardSpan kept : parts.keySet()) {
      if (node.contains(kept)) {
        shards += kept.count();
      }
    }
    return shards == node.count();
  }

  /**
   * The sum of {@code node} from the kept sums inside it, added in the tree's order: what a
   * reducer of that subtree publishes. Requires {@link #covers(ShardSpan)}.
   */
  public FlatVector sum(ShardSpan node) {
    return tree.sum(node, parts);
  }

  /** The loss sum of {@code node}, added in the tree's order. Requires {@link #covers(ShardSpan)}. */
  public double lossSum(ShardSpan node) {
    return tree.sumScalars(node, lossSums);
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
