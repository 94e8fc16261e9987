package dev.backstream.coordinator.step;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;

/**
 * Hands shards to workers in contiguous blocks, so that a worker often holds a whole subtree and
 * sends one sum for it instead of one per shard.
 */
public final class ShardAssignment {
  private ShardAssignment() {}

  /**
   * Gives each of {@code shards} to one of {@code workers}: the i-th of W workers takes the i-th of
   * W nearly equal contiguous blocks (an idle worker when W &gt; S).
   *
   * @param shards the shards to hand out, ascending (all of a step, or the late ones)
   * @param workers live worker ids, in a stable order; at least one
   * @param rotation shifts which worker takes the first block, to move late shards away from
   *     the workers that held them
   * @param owners receives the owner of each handed-out shard; other entries are left as they are
   */
  public static void assign(SortedSet<Integer> shards, List<String> workers, int rotation, String[] owners) {
    if (workers.isEmpty()) {
      throw new IllegalArgumentException("no live workers to hand shards to");
    }
    List<Integer> list = new ArrayList<>(shards);
    int n = list.size();
    int blocks = Math.min(n, workers.size());
    for (int b = 0; b < blocks; b++) {
      String owner = workers.get(Math.floorMod(b + rotation, workers.size()));
      for (int i = b * n / blocks; i < (b + 1) * n / blocks; i++) {
        owners[list.get(i)] = owner;
      }
    }
  }
}
