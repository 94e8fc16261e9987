package dev.backstream.coordinator.training;

/**
 * Draws the global batch of a step as a pure function of (seed, step), with replacement like the
 * book's {@code np.random.choice}: a resumed run needs no RNG state, and any process can redraw any
 * step's batch.
 *
 * <p>SplitMix64 is written out here rather than taken from {@link java.util.SplittableRandom},
 * whose algorithm the JDK does not promise to keep.
 */
public final class BatchSampler {
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
  /** Keeps the sampler's stream apart from the weight initialisation, which uses the same seed. */
  private static final long STREAM = 0x62617463685F6964L;

  private BatchSampler() {}

  /**
   * The batch of {@code step}: {@code batchSize} indices in {@code [0, setSize)}.
   *
   * @throws IllegalArgumentException if setSize or batchSize is below 1
   */
  public static int[] batch(long seed, long step, int setSize, int batchSize) {
    if (setSize < 1 || batchSize < 1) {
      throw new IllegalArgumentException(
          "batch of " + batchSize + " from a set of " + setSize + ": both must be at least 1");
    }
    long state = mix(mix(seed ^ STREAM) + step * GOLDEN_GAMMA);
    int[] indices = new int[batchSize];
    for (int k = 0; k < batchSize; k++) {
      int r;
      int u;
      // rejection keeps every index equally likely (as java.util.Random.nextInt(bound) does)
      do {
        state += GOLDEN_GAMMA;
        u = (int) (mix(state) >>> 33);
        r = u % setSize;
      } while (u - r + (setSize - 1) < 0);
      indices[k] = r;
    }
    return indices;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
