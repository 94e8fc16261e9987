package dev.backstream.worker.internal;

import dev.backstream.common.nn.BatchStats;
import dev.backstream.common.nn.FlatVector;
import dev.backstream.common.protocol.GradientFrame;
import dev.backstream.common.protocol.StepFrame;
import dev.backstream.common.training.ShardSpan;
import dev.backstream.common.training.ShardTree;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The leaves a worker process's actors have computed for the step followed and not yet published,
 * and when to publish them: one frame per maximal node of the reduction tree over the shards the
 * process holds for the step (computed, or still owed by an actor), each as soon as all its leaves
 * are in. With the book's plan of 2 workers, one process of 2 actors holding shards {0, 1} and {2,
 * 3} sends one root frame a step instead of two; where an actor alone holds a node, its frame
 * leaves as soon as that actor is done, as before.
 *
 * <p>Leaves of every version of the step count (a step published again names only the shards
 * still missing, and a leaf's bits do not depend on the version that asked for it). Leaves of
 * another step are dropped: a coordinator publishes the next step only once it has this one's
 * sum, and a newer generation refuses an older one's gradients.
 *
 * <p>Sums are added in place in the leaves' vectors ({@link ShardTree#sumInPlace}, the tree's
 * bits) and the vectors go back to {@link SumBuffers} once published. Not thread-safe: the node
 * owns it.
 */
final class StepSums {

  /**
   * One shard's gradient sum as an actor computed it.
   *
   * @param shard the shard
   * @param actor the id of the actor that computed it, which its frame names as sender
   * @param sum the sum, taken from {@link SumBuffers}; handed over
   * @param stats the shard's samples, loss sum and correct predictions
   */
  record Leaf(int shard, String actor, FlatVector sum, BatchStats stats) {}

  private final SumBuffers buffers;
  private final Map<Integer, Leaf> held = new HashMap<>();
  /** The step whose leaves are held (any version of it); null when none are. */
  private StepFrame step;
  private ShardTree tree;

  StepSums(SumBuffers buffers) {
    this.buffers = buffers;
  }

  /**
   * Holds {@code leaves} of {@code frame}'s step, dropping those of another step first. A shard
   * computed again replaces the one held (the same bits).
   */
  void add(StepFrame frame, List<Leaf> leaves) {
    keepOnly(frame);
    if (step == null) {
      if (tree == null || tree.shards() != frame.spec().shards()
          || tree.dtype() != frame.spec().dtype()) {
        tree = new ShardTree(frame.spec().shards(), frame.spec().dtype());
      }
      step = frame;
    }
    for (Leaf leaf : leaves) {
      Leaf before = held.put(leaf.shard(), leaf);
      if (before != null) {
        buffers.give(before.sum());
      }
    }
  }

  /** Drops the leaves held unless they are of {@code followed}'s step. */
  void keepOnly(StepFrame followed) {
    if (step != null && !ShardSchedule.sameStep(step, followed)) {
      held.values().forEach(leaf -> buffers.give(leaf.sum()));
      held.clear();
      step = null;
    }
  }

  /**
   * Publishes, through {@code output}, every maximal node of the shards held or {@code owed}
   * whose leaves are all held, and forgets those leaves.
   *
   * @param owed shards of the step that an actor of this process is computing or will compute
   */
  void publishReady(Set<Integer> owed, WorkerOutput output) {
    if (step == null) {
      return;
    }
    Set<Integer> holding = new HashSet<>(held.keySet());
    holding.addAll(owed);
    for (ShardSpan node : tree.maximalNodes(holding)) {
      if (allHeld(node)) {
        publish(node, output);
      }
    }
    if (held.isEmpty()) {
      step = null;
    }
  }

  private boolean allHeld(ShardSpan node) {
    for (int shard = node.first(); shard < node.end(); shard++) {
      if (!held.containsKey(shard)) {
        return false;
      }
    }
    return true;
  }

  private void publish(ShardSpan node, WorkerOutput output) {
    // the actor of the node's first shard: a live actor's id, which the coordinator counts as a
    // sign of life (a process id would pass for a worker of its own)
    String sender = held.get(node.first()).actor();
    Map<ShardSpan, FlatVector> parts = new HashMap<>();
    double[] losses = new double[tree.shards()];
    int samples = 0;
    int correct = 0;
    for (int shard = node.first(); shard < node.end(); shard++) {
      Leaf leaf = held.remove(shard);
      parts.put(ShardSpan.leaf(shard), leaf.sum());
      losses[shard] = leaf.stats().lossSum();
      samples += leaf.stats().samples();
      correct += leaf.stats().correct();
    }
    // in the tree's order, as the coordinator adds the nodes: the loss has one value per run
    double loss = tree.sumScalars(node, losses);
    FlatVector sum = tree.sumInPlace(node, parts);
    output.publishGradient(GradientFrame.handingOver(step.run(), step.generation(), step.step(),
        node.first(), node.count(), sender, samples, loss, correct, sum));
    // the output has encoded the frame: the vectors are free for the next step's leaves
    parts.values().forEach(buffers::give);
  }
}
