package dev.backstream.common.training;

/**
 * A node of the reduction tree: the contiguous shards {@code [first, first + count)}. A leaf is
 * one shard; the root spans them all.
 *
 * @param first the first shard, at least 0
 * @param count how many shards, at least 1, with {@code first + count} at most {@link Integer#MAX_VALUE}
 */
public record ShardSpan(int first, int count) {

  public ShardSpan {
    if (first < 0 || count < 1) {
      throw new IllegalArgumentException("shard span [" + first + ", +" + count + ") is empty or negative");
    }
    if (count > Integer.MAX_VALUE - first) {
      // end() would wrap to a negative number, and such a leaf would pass for a node of any tree
      throw new IllegalArgumentException("shard span [" + first + ", +" + count + ") ends past " + Integer.MAX_VALUE);
    }
  }

  /** The leaf of one shard. */
  public static ShardSpan leaf(int shard) {
    return new ShardSpan(shard, 1);
  }

  /** One past the last shard. */
  public int end() {
    return first + count;
  }

  /** True if the two spans share a shard. */
  public boolean overlaps(ShardSpan other) {
    return first < other.end() && other.first < end();
  }

  /** True if every shard of {@code other} is in this span. */
  public boolean contains(ShardSpan other) {
    return first <= other.first && other.end() <= end();
  }

  @Override
  public String toString() {
    return count == 1 ? "shard " + first : "shards " + first + ".." + (end() - 1);
  }
}
