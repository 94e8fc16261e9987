package dev.backstream.common.training;

import dev.backstream.common.nn.FlatVector;
import dev.backstream.common.protocol.Admission;
import dev.backstream.common.protocol.GradientFrame;
import dev.backstream.common.protocol.RejectReason;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The gradient sums collected for one step. Keeps the first valid sum for each part of the tree
 * and refuses any that overlaps one already kept, so a shard computed twice (after a hand-out to
 * another worker) counts once, and whichever arrives first wins: the bits are the same either way.
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
   * node of the run's tree {@link RejectReason#BAD_SHARD}, one that overlaps a sum already kept
   * {@link RejectReason#DUPLICATE}. The frame's run, generation, length and dtype are
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
   * Offers the sum of the shards in {@code span}, keeping it if it is a node of the tree that
   * overlaps no sum kept.
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
      if (kept.overlaps(span)) {
        return Admission.rejected(RejectReason.DUPLICATE, span + " of step " + step
            + " overlaps " + kept + ", kept already");
      }
    }
    parts.put(span, sum);
    samples += spanSamples;
    lossSums.put(span, spanLossSum);
    correct += spanCorrect;
    return Admission.ADMITTED;
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
