package dev.backstream.worker.internal;

import dev.backstream.common.nn.Dtype;
import dev.backstream.common.nn.FlatVector;
import java.util.ArrayDeque;

/**
 * Gradient-sized vectors that a worker process's shard actors compute into and its node gives
 * back once their sums are published, so that a step allocates no 318 KB array per shard (4 a
 * step, 13 GB of garbage in a 10,000-step run of the book's settings before).
 *
 * <p>A vector taken is the caller's until given back; its values are whatever it held last (the
 * kernel overwrites every value). Thread-safe: the actors take on their dispatcher, the node gives
 * back on its own.
 */
final class SumBuffers {
  /** Enough for the leaves of any plan this process is likely to hold; more are left to the GC. */
  private static final int KEPT = 64;

  private final ArrayDeque<FlatVector> free = new ArrayDeque<>();

  /** A vector of {@code length} values of {@code dtype}, reused if one is free; not zeroed. */
  synchronized FlatVector take(Dtype dtype, int length) {
    FlatVector v;
    while ((v = free.pollFirst()) != null) {
      if (v.dtype() == dtype && v.length() == length) {
        return v;
      }
      // a vector of another run's shape: the run changed, so the rest are no use either
    }
    return FlatVector.zeros(dtype, length);
  }

  /** Gives {@code v} back: the caller no longer reads or writes it. */
  synchronized void give(FlatVector v) {
    if (free.size() < KEPT) {
      free.addFirst(v);
    }
  }

  /** How many vectors are free (for tests). */
  synchronized int free() {
    return free.size();
  }
}
