package dev.backstream.coordinator.step;

import java.util.Arrays;

/**
 * How long to wait for a shard before handing it to another worker: a few times the median of the
 * recent step times, never less than a floor (GC pauses and first-step warm-up are not crashes).
 */
public final class StepDeadline {
  /**
   * The shortest deadline before any step time is known. A worker JVM's first step runs its
   * kernel interpreted while the JIT starts, which took longer than the floor on 2 shared cores:
   * its shards were handed out again, computed twice and the late copies counted as rejected, in
   * runs where nothing went wrong.
   */
  static final long FIRST_STEP_FLOOR_NANOS = 2_000_000_000L;

  private final long floorNanos;
  private final double factor;
  private final long[] recent;
  private int count;
  private int next;

  /**
   * @param floorNanos the shortest deadline
   * @param factor multiple of the median step time
   * @param window how many recent steps the median looks at
   */
  public StepDeadline(long floorNanos, double factor, int window) {
    this.floorNanos = floorNanos;
    this.factor = factor;
    this.recent = new long[window];
  }

  /** Records how long a finished step took. */
  public void record(long stepNanos) {
    recent[next] = stepNanos;
    next = (next + 1) % recent.length;
    count = Math.min(count + 1, recent.length);
  }

  /** The median of the recorded step times, or 0 before any. */
  public long medianNanos() {
    if (count == 0) {
      return 0;
    }
    long[] sorted = Arrays.copyOf(recent, count);
    Arrays.sort(sorted);
    return sorted[count / 2];
  }

  /** The current deadline. */
  public long deadlineNanos() {
    if (count == 0) {
      return Math.max(floorNanos, FIRST_STEP_FLOOR_NANOS);
    }
    return Math.max(floorNanos, (long) (factor * medianNanos()));
  }
}
