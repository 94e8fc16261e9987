package dev.backstream.common.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The R subtrees of a run's reduction tree that reducers add up, and which partition of the
 * gradients topic carries each gradient frame. S (through the tree) and R alone decide them, so a
 * worker, a reducer and the coordinator that know both agree without talking.
 *
 * <p>The subtrees are the R nodes reached by starting from the root and splitting the widest node
 * (the leftmost of equal width) into its two children until there are R: for R a power of two
 * they are the tree's nodes at that depth ({@code ((g0 + g1) + (g2 + g3))} with R = 2: shards
 * 0..1 and 2..3). They are disjoint and cover every shard.
 *
 * <p>Partition 0 is the coordinator's: it carries the frames of nodes no reducer adds up (a whole
 * subtree or more, and the reducers' own sums). Partition r + 1 carries the frames of nodes lying
 * strictly inside subtree r. A frame that already is a whole subtree skips the reducer: there is
 * nothing to add. Partition 0 for everything else means that a writer that knows no reducers
 * (R = 0, or an older version that always wrote partition 0) still reaches the coordinator.
 */
public final class ReducerSubtrees {
  /** The partition the coordinator always reads. */
  public static final int COORDINATOR_PARTITION = 0;

  private final List<ShardSpan> subtrees;

  private ReducerSubtrees(List<ShardSpan> subtrees) {
    this.subtrees = List.copyOf(subtrees);
  }

  /**
   * Why {@code reducers} is no R for a run of {@code shards} shards (the line a command prints for
   * its {@code --reducers}), or empty if it is one: R is in [0, shards].
   */
  public static Optional<String> invalidCount(int reducers, int shards) {
    if (reducers >= 0 && reducers <= shards) {
      return Optional.empty();
    }
    return Optional.of("Invalid value " + reducers + " for --reducers: must be in [0, " + shards
        + "] (the shard count)");
  }

  /**
   * The subtrees of {@code tree} for {@code reducers} reducers.
   *
   * @param reducers R, in [0, shards]; 0 is a run without reducers
   * @throws IllegalArgumentException if {@code reducers} is out of range
   */
  public static ReducerSubtrees of(ShardTree tree, int reducers) {
    invalidCount(reducers, tree.shards()).ifPresent(why -> {
      throw new IllegalArgumentException(why);
    });
    List<ShardSpan> nodes = new ArrayList<>();
    if (reducers == 0) {
      return new ReducerSubtrees(nodes);
    }
    nodes.add(tree.root());
    while (nodes.size() < reducers) {
      int widest = 0;
      for (int i = 1; i < nodes.size(); i++) {
        if (nodes.get(i).count() > nodes.get(widest).count()) {
          widest = i;
        }
      }
      // reducers <= shards, so the widest node has at least 2 shards and so two children
      List<ShardSpan> kids = tree.children(nodes.get(widest));
      nodes.remove(widest);
      nodes.addAll(widest, kids);
    }
    return new ReducerSubtrees(nodes);
  }

  /**
   * The subtrees for a gradients topic of {@code partitions} partitions (R = partitions - 1), or
   * none when that R does not fit the tree: then every frame goes to the coordinator's partition.
   */
  public static ReducerSubtrees forPartitions(ShardTree tree, int partitions) {
    int reducers = partitions - 1;
    return reducers >= 0 && reducers <= tree.shards() ? of(tree, reducers) : of(tree, 0);
  }

  /** R, the number of subtrees. */
  public int count() {
    return subtrees.size();
  }

  /** Subtree {@code r}, in shard order. */
  public ShardSpan subtree(int r) {
    return subtrees.get(r);
  }

  /** The partition of the gradients topic a reducer of subtree {@code r} reads: r + 1. */
  public static int partitionOfSubtree(int r) {
    return r + 1;
  }

  /**
   * The partition a gradient frame of {@code node} goes to: r + 1 when the node lies strictly
   * inside subtree r, else {@link #COORDINATOR_PARTITION}.
   */
  public int partitionOf(ShardSpan node) {
    for (int r = 0; r < subtrees.size(); r++) {
      ShardSpan subtree = subtrees.get(r);
      if (subtree.contains(node) && !subtree.equals(node)) {
        return partitionOfSubtree(r);
      }
    }
    return COORDINATOR_PARTITION;
  }

  @Override
  public String toString() {
    return "ReducerSubtrees" + subtrees;
  }
}
