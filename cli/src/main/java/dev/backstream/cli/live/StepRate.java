package dev.backstream.cli.live;

import java.util.ArrayDeque;

/**
 * Steps per second over the last ten seconds, for the page's "now" figure: the epoch reports give
 * the mean since the start, which hides a run slowing down (a worker lost, a busy broker). Not
 * thread-safe; {@link LiveState} guards it.
 */
final class StepRate {
  static final long WINDOW_NANOS = 10_000_000_000L;
  // One sample per 100 ms at most keeps the window to about 100 samples at any speed.
  private static final long SAMPLE_NANOS = 100_000_000L;

  private record Sample(long nanos, long step) {}

  private final ArrayDeque<Sample> samples = new ArrayDeque<>();
  private Sample latest;

  /** Notes that {@code step} steps were done at {@code nanos} (a monotonic clock). */
  void add(long nanos, long step) {
    latest = new Sample(nanos, step);
    if (samples.isEmpty() || nanos - samples.peekLast().nanos() >= SAMPLE_NANOS) {
      samples.addLast(latest);
    }
    while (samples.size() > 1 && nanos - samples.peekFirst().nanos() > WINDOW_NANOS) {
      samples.removeFirst();
    }
  }

  /** Steps per second over the window up to {@code now}; 0 before two samples or after a stall. */
  double perSecond(long now) {
    Sample first = samples.peekFirst();
    if (first == null || latest.nanos() == first.nanos() || now - latest.nanos() > WINDOW_NANOS) {
      return 0;
    }
    return (latest.step() - first.step()) * 1e9 / (latest.nanos() - first.nanos());
  }
}
