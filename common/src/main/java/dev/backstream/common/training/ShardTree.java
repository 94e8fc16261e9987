package dev.backstream.common.training;

import dev.backstream.common.nn.Dtype;
import dev.backstream.common.nn.FlatVector;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BinaryOperator;

/**
 * The fixed order in which shard gradient sums are added: a balanced pairwise tree over shard
 * numbers, {@code ((g0 + g1) + (g2 + g3))}, with an odd one out at any level carried up unchanged.
 *
 * <p>The tree depends only on the shard count, never on arrival order or on who computed what, so
 * the sum is the same bits however the work was split. A process that holds every shard under a
 * node may add that subtree itself and send the node's sum: {@link #reduce} accepts any set of
 * disjoint nodes that covers all shards.
 */
public final class ShardTree {
  private final int shards;
  private final Dtype dtype;
  /** For each inner node, its two children; leaves and carried nodes have no entry. */
  private final Map<ShardSpan, ShardSpan[]> children = new HashMap<>();

  /** The tree over {@code shards} leaves, at least 1, adding float64 values. */
  public ShardTree(int shards) {
    this(shards, Dtype.FLOAT64);
  }

  /**
   * The tree over {@code shards} leaves, at least 1, adding in {@code dtype}: in float32, each
   * addition is a float addition of float values (sums are float32 {@link FlatVector}s).
   */
  public ShardTree(int shards, Dtype dtype) {
    this.dtype = dtype;
    if (shards < 1) {
      throw new IllegalArgumentException("a shard tree needs at least 1 shard, got " + shards);
    }
    this.shards = shards;
    List<ShardSpan> level = new ArrayList<>();
    for (int k = 0; k < shards; k++) {
      level.add(ShardSpan.leaf(k));
    }
    while (level.size() > 1) {
      List<ShardSpan> next = new ArrayList<>();
      for (int i = 0; i + 1 < level.size(); i += 2) {
        ShardSpan left = level.get(i);
        ShardSpan right = level.get(i + 1);
        ShardSpan parent = new ShardSpan(left.first(), left.count() + right.count());
        children.put(parent, new ShardSpan[] {left, right});
        next.add(parent);
      }
      if (level.size() % 2 == 1) {
        next.add(level.get(level.size() - 1));
      }
      level = next;
    }
  }

  /** The number type its sums are added in. */
  public Dtype dtype() {
    return dtype;
  }

  /** Number of leaves. */
  public int shards() {
    return shards;
  }

  /** The node that spans every shard. */
  public ShardSpan root() {
    return new ShardSpan(0, shards);
  }

  /** True if {@code span} is a node of this tree (a leaf, a carried node or an inner node). */
  public boolean isNode(ShardSpan span) {
    if (span.end() > shards) {
      return false;
    }
    return span.count() == 1 || children.containsKey(span) || span.equals(root());
  }

  /**
   * The two children of an inner node, left first; empty for a leaf. A carried node (an odd one
   * out passed up a level unchanged) is the same span as its child, so it has that child's
   * children.
   */
  public List<ShardSpan> children(ShardSpan node) {
    ShardSpan[] kids = children.get(node);
    return kids == null ? List.of() : List.of(kids[0], kids[1]);
  }

  /**
   * The largest nodes whose shards are all in {@code held}: what a process holding those shards
   * sends, one sum per node, in shard order.
   */
  public List<ShardSpan> maximalNodes(Set<Integer> held) {
    List<ShardSpan> out = new ArrayList<>();
    collect(root(), held, out);
    return out;
  }

  private void collect(ShardSpan node, Set<Integer> held, List<ShardSpan> out) {
    boolean all = true;
    boolean any = false;
    for (int k = node.first(); k < node.end(); k++) {
      boolean has = held.contains(k);
      all &= has;
      any |= has;
    }
    if (all) {
      out.add(node);
    } else if (any) {
      ShardSpan[] kids = children.get(node);
      collect(kids[0], held, out);
      collect(kids[1], held, out);
    }
  }

  /**
   * True if {@code parts} are disjoint nodes that together cover every shard: then {@link #reduce}
   * can add them up.
   */
  public boolean covers(Collection<ShardSpan> parts) {
    boolean[] seen = new boolean[shards];
    for (ShardSpan p : parts) {
      if (!isNode(p)) {
        return false;
      }
      for (int k = p.first(); k < p.end(); k++) {
        if (seen[k]) {
          return false;
        }
        seen[k] = true;
      }
    }
    for (boolean s : seen) {
      if (!s) {
        return false;
      }
    }
    return true;
  }

  /**
   * Adds node sums up to the root in the tree's order.
   *
   * @param parts disjoint nodes covering every shard, each with its sum (all of the tree's dtype
   *     and of one length); the vectors are not modified
   * @return a new vector, unless {@code parts} holds the root itself, which is returned as is
   */
  public FlatVector reduce(Map<ShardSpan, FlatVector> parts) {
    if (!covers(parts.keySet())) {
      throw new IllegalArgumentException(
          "node sums " + parts.keySet() + " are not disjoint nodes covering all " + shards + " shards");
    }
    return sum(root(), parts);
  }

  /** The sum of the leaves {@code shardSums[0..S)}, in the tree's order. */
  public FlatVector reduceLeaves(FlatVector[] shardSums) {
    if (shardSums.length != shards) {
      throw new IllegalArgumentException(shardSums.length + " shard sums for " + shards + " shards");
    }
    Map<ShardSpan, FlatVector> parts = new HashMap<>();
    for (int k = 0; k < shards; k++) {
      parts.put(ShardSpan.leaf(k), shardSums[k]);
    }
    return sum(root(), parts);
  }

  /**
   * The sum of one number per node (a loss sum), added in the tree's order like the gradients, so
   * that it does not depend on which nodes the workers held or the order their frames came in. In
   * float32 each addition is a float addition of the numbers rounded to float.
   *
   * @param parts disjoint nodes covering every shard, each with its number
   */
  public double reduceScalars(Map<ShardSpan, Double> parts) {
    if (!covers(parts.keySet())) {
      throw new IllegalArgumentException(
          "node sums " + parts.keySet() + " are not disjoint nodes covering all " + shards + " shards");
    }
    return add(root(), parts, this::plus);
  }

  /** The sum of the numbers of {@code node}'s leaves, {@code leafValues[k]} for shard k, in the tree's order. */
  public double sumScalars(ShardSpan node, double[] leafValues) {
    Map<ShardSpan, Double> parts = new HashMap<>();
    for (int k = node.first(); k < node.end(); k++) {
      parts.put(ShardSpan.leaf(k), leafValues[k]);
    }
    return add(node, parts, this::plus);
  }

  /**
   * The sum of the numbers of {@code node}'s parts (nodes inside it, one number each), in the
   * tree's order, as {@link #reduceScalars} adds them up to the root.
   */
  public double sumScalars(ShardSpan node, Map<ShardSpan, Double> parts) {
    return add(node, parts, this::plus);
  }

  /**
   * The sum of {@code node}: its own entry in {@code parts}, or the sum of its two children. A
   * single leaf comes back as given.
   *
   * @param parts sums of the tree's dtype, all of one length; not modified
   */
  public FlatVector sum(ShardSpan node, Map<ShardSpan, FlatVector> parts) {
    return add(node, parts, this::plus);
  }

  /**
   * {@link #sum} without allocating: each addition is written into its left operand, so the
   * result is the vector of {@code node}'s first part and the other parts' vectors may be
   * overwritten too. The bits are {@link #sum}'s: an addition rounds the same whatever array it
   * is stored in. For a caller that owns the parts and discards them after (a worker process's
   * leaves, which it reuses every step).
   *
   * @param parts sums of the tree's dtype, all of one length, none sharing an array; modified
   */
  public FlatVector sumInPlace(ShardSpan node, Map<ShardSpan, FlatVector> parts) {
    return add(node, parts, this::addInto);
  }

  /** {@code node}'s own entry in {@code parts}, or its children's sums added by {@code plus}. */
  private <T> T add(ShardSpan node, Map<ShardSpan, T> parts, BinaryOperator<T> plus) {
    T own = parts.get(node);
    if (own != null) {
      return own;
    }
    ShardSpan[] kids = children.get(node);
    if (kids == null) {
      throw new IllegalArgumentException("no sum for " + node);
    }
    return plus.apply(add(kids[0], parts, plus), add(kids[1], parts, plus));
  }

  /** Two numbers added in the tree's dtype. */
  private Double plus(Double a, Double b) {
    if (dtype == Dtype.FLOAT32) {
      return (double) ((float) (double) a + (float) (double) b);
    }
    return a + b;
  }

  /** {@code a + b} in a new vector, each addition in the tree's dtype: one branch per node. */
  private FlatVector plus(FlatVector a, FlatVector b) {
    return addInto(a, b, a.zerosLike());
  }

  /** {@code a + b} written into {@code a}. */
  private FlatVector addInto(FlatVector a, FlatVector b) {
    if (a == b) {
      // the left part would be read after it is written: a caller's mistake, not a sum
      throw new IllegalArgumentException("one vector for two parts of a tree node");
    }
    return addInto(a, b, a);
  }

  /** {@code a + b} written into {@code c} (which may be {@code a}), each addition in the tree's dtype. */
  private FlatVector addInto(FlatVector a, FlatVector b, FlatVector c) {
    if (a.length() != b.length() || a.dtype() != dtype || b.dtype() != dtype) {
      throw new IllegalArgumentException("sums of " + a.length() + " " + a.dtype().id() + " and "
          + b.length() + " " + b.dtype().id() + " values in a " + dtype.id() + " tree");
    }
    if (dtype == Dtype.FLOAT32) {
      add(a.floats(), b.floats(), c.floats());
    } else {
      add(a.doubles(), b.doubles(), c.doubles());
    }
    return c;
  }

  private static void add(float[] a, float[] b, float[] c) {
    for (int i = 0; i < c.length; i++) {
      c[i] = a[i] + b[i];
    }
  }

  private static void add(double[] a, double[] b, double[] c) {
    for (int i = 0; i < c.length; i++) {
      c[i] = a[i] + b[i];
    }
  }
}
