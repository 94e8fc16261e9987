package dev.backstream.reducer.internal;

import dev.backstream.common.protocol.Admission;
import dev.backstream.common.protocol.GradientFrame;
import dev.backstream.common.protocol.RejectReason;
import dev.backstream.common.training.GradientRules;
import dev.backstream.common.training.ShardSpan;
import dev.backstream.common.training.StepRound;

/**
 * One step of one subtree: the coordinator's admission rules ({@link GradientRules}, kept sums in
 * a {@link StepRound}) narrowed to the nodes inside the subtree, and their sum once they cover it.
 * Tree nodes nest or are disjoint, and a node's sum is the tree-order sum of its parts, so the
 * bits do not depend on which frames came first.
 *
 * <p>Not thread-safe.
 */
final class SubtreeRound {
  private final long generation;
  private final GradientRules rules;
  private final StepRound kept;
  private final ShardSpan subtree;
  private boolean published;

  /**
   * @param rules the run's rules for gradients of {@code generation}
   * @param kept the step's sums, empty
   * @param subtree the node this round adds up
   */
  SubtreeRound(long generation, GradientRules rules, StepRound kept, ShardSpan subtree) {
    this.generation = generation;
    this.rules = rules;
    this.kept = kept;
    this.subtree = subtree;
  }

  long generation() {
    return generation;
  }

  long step() {
    return kept.step();
  }

  ShardSpan subtree() {
    return subtree;
  }

  /** Admits {@code f} and keeps its sum if it is of the open step and a node inside the subtree. */
  Admission offer(GradientFrame f) {
    Admission ofRun = rules.ofRun(f);
    if (ofRun != Admission.ADMITTED) {
      return ofRun;
    }
    if (f.firstShard() < subtree.first() || f.firstShard() + f.shardCount() > subtree.end()) {
      return Admission.rejected(RejectReason.BAD_SHARD, f.firstShard() + "+" + f.shardCount()
          + " is not inside " + subtree);
    }
    return rules.intoRound(f, kept);
  }

  /** Whether the kept nodes cover the subtree. */
  boolean complete() {
    return kept.covers(subtree);
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
    return GradientFrame.handingOver(run, generation, kept.step(), subtree.first(),
        subtree.count(), sender, Math.toIntExact(kept.samples()), kept.lossSum(subtree),
        Math.toIntExact(kept.correct()), kept.sum(subtree));
  }
}
