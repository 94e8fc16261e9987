package dev.backstream.common.training;

/**
 * The positions {@code [from, to)} of one shard inside a step's batch.
 *
 * @param shard the shard's number, 0 .. shards-1
 * @param from first position in the batch, inclusive
 * @param to last position in the batch, exclusive
 */
public record ShardRange(int shard, int from, int to) {

  /** Number of samples in the shard. */
  public int size() {
    return to - from;
  }

  /**
   * Shard {@code k} of a batch of {@code batch} samples cut into {@code shards} contiguous pieces
   * whose sizes differ by at most one: positions {@code [k*B/S, (k+1)*B/S)}.
   *
   * @throws IllegalArgumentException if {@code shards} is not in [1, batch] or k not in [0, shards)
   */
  public static ShardRange of(int batch, int shards, int k) {
    if (shards < 1 || shards > batch) {
      throw new IllegalArgumentException(
          "Invalid value " + shards + " for --shards: must be in [1, " + batch + "] (the batch size)");
    }
    if (k < 0 || k >= shards) {
      throw new IllegalArgumentException("shard " + k + " is outside [0, " + shards + ")");
    }
    return new ShardRange(k, (int) ((long) k * batch / shards), (int) ((long) (k + 1) * batch / shards));
  }
}
