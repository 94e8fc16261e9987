package dev.backstream.common.protocol;

import dev.backstream.common.nn.Dtype;
import dev.backstream.common.nn.FlatVector;

/**
 * A vector cut into blocks of {@link #BLOCK} values, the unit a frame leaves out: a gradient's
 * blocks that are all +0.0, a step's blocks that are the previous step's. Blocks are compared by
 * their raw bits, so a block holding -0.0 where the other holds +0.0 differs.
 */
final class ValueBlocks {
  /** Values per block. */
  static final int BLOCK = 8;

  private ValueBlocks() {}

  /** The blocks of {@code n} values, the last one possibly shorter. */
  static int count(int n) {
    return (n + BLOCK - 1) / BLOCK;
  }

  /**
   * For each block, whether a value's bits differ from {@code base}'s, or from +0.0 where
   * {@code base} is null.
   *
   * @param base of the same type and length as {@code values}, or null
   */
  static boolean[] differing(FlatVector values, FlatVector base) {
    int n = values.length();
    boolean[] differ = new boolean[count(n)];
    if (values.dtype() == Dtype.FLOAT64) {
      double[] v = values.doubles();
      double[] b = base == null ? null : base.doubles();
      for (int k = 0; k < differ.length; k++) {
        // no early exit: a branch-free OR over one block is cheaper than a branch per value
        long bits = 0;
        for (int i = k * BLOCK; i < Math.min(n, (k + 1) * BLOCK); i++) {
          long other = b == null ? 0L : Double.doubleToRawLongBits(b[i]);
          bits |= Double.doubleToRawLongBits(v[i]) ^ other;
        }
        differ[k] = bits != 0L;
      }
    } else {
      float[] v = values.floats();
      float[] b = base == null ? null : base.floats();
      for (int k = 0; k < differ.length; k++) {
        int bits = 0;
        for (int i = k * BLOCK; i < Math.min(n, (k + 1) * BLOCK); i++) {
          int other = b == null ? 0 : Float.floatToRawIntBits(b[i]);
          bits |= Float.floatToRawIntBits(v[i]) ^ other;
        }
        differ[k] = bits != 0;
      }
    }
    return differ;
  }

  /** The values in the blocks marked, the last block counted with its own length. */
  static int values(boolean[] marked, int n) {
    int values = 0;
    for (int k = 0; k < marked.length; k++) {
      if (marked[k]) {
        values += Math.min(BLOCK, n - k * BLOCK);
      }
    }
    return values;
  }

  /** Receives a run of consecutive values {@code [from, to)}. */
  @FunctionalInterface
  interface Run<E extends Exception> {
    void accept(int from, int to) throws E;
  }

  /**
   * Hands each run of consecutive marked blocks of a vector of {@code n} values to {@code run},
   * in order, as one range of values (the last block with its own length): one bulk copy a run
   * rather than one a block.
   */
  static <E extends Exception> void forEachRun(boolean[] marked, int n, Run<E> run) throws E {
    forEachRun(marked, true, n, run);
  }

  /** {@link #forEachRun(boolean[], int, Run)} over the blocks whose mark is {@code mark}. */
  private static <E extends Exception> void forEachRun(boolean[] marked, boolean mark, int n,
      Run<E> run) throws E {
    int runStart = -1;
    for (int k = 0; k <= marked.length; k++) {
      if (k < marked.length && marked[k] == mark) {
        if (runStart < 0) {
          runStart = k * BLOCK;
        }
      } else if (runStart >= 0) {
        run.accept(runStart, Math.min(n, k * BLOCK));
        runStart = -1;
      }
    }
  }

  /**
   * Copies the blocks not marked from {@code from} into {@code to}, of the same type and length:
   * what completes a vector that holds only the marked blocks.
   */
  static void copyUnmarked(boolean[] marked, FlatVector from, FlatVector to) {
    Object src = from.dtype() == Dtype.FLOAT64 ? from.doubles() : from.floats();
    Object dst = to.dtype() == Dtype.FLOAT64 ? to.doubles() : to.floats();
    forEachRun(marked, false, from.length(),
        (start, end) -> System.arraycopy(src, start, dst, start, end - start));
  }
}
