package dev.backstream.cli.bench;

import dev.backstream.coordinator.training.TrainingListener;

/**
 * The wall time of each step of one coordinator run, taken from the listener's calls: step s lasts
 * from the end of step s - 1 to its own end, which spans everything a synchronous step does
 * (publish, shard gradients, the way back, reduction, SGD). The benchmarks' runs score only their
 * last step ({@code Evaluations.LAST_STEP}), so no epoch's evaluation shares the CPUs with a
 * measured step. Thread-safe.
 */
final class StepTimes implements TrainingListener {
  /**
   * What the measured steps took.
   *
   * @param measured steps timed (after the warm-up)
   * @param medianMillis their median, in milliseconds
   * @param p99Millis their 99th percentile (nearest rank), in milliseconds
   */
  record Summary(int measured, double medianMillis, double p99Millis) {}

  private final long[] endedAt;

  /** @param steps the run's step count */
  StepTimes(int steps) {
    this.endedAt = new long[steps + 1];
  }

  @Override
  public synchronized void onStep(long done, long total) {
    endedAt[(int) done] = System.nanoTime();
  }

  /** When step {@code done} ended, in {@link System#nanoTime()}; 0 if it has not. */
  synchronized long endedAt(int done) {
    return endedAt[done];
  }

  /**
   * Summarises steps {@code warmup + 1} to the last.
   *
   * @param warmup steps not measured, at least 1 (the first step's start is not observed)
   */
  synchronized Summary summarize(int warmup) {
    double[] ms = new double[endedAt.length - warmup - 1];
    for (int s = warmup + 1; s < endedAt.length; s++) {
      ms[s - warmup - 1] = (endedAt[s] - endedAt[s - 1]) / 1e6;
    }
    return new Summary(ms.length, Timings.median(ms), Timings.percentile(ms, 0.99));
  }

  /** Splits steps {@code warmup + 1} to the last into warm-up and steady state by {@code rule}. */
  synchronized WarmUp.Split split(int warmup, WarmUp rule) {
    return split(warmup, rule, false);
  }

  /**
   * As {@link #split}, but if the rule never held every step is counted steady (the split says it
   * did not settle) rather than warm-up: for a table that must have a figure in every row.
   */
  synchronized WarmUp.Split steadyOrAll(int warmup, WarmUp rule) {
    return split(warmup, rule, true);
  }

  private WarmUp.Split split(int warmup, WarmUp rule, boolean allIfUnsettled) {
    int n = endedAt.length - warmup - 1;
    long[] starts = new long[n];
    long[] ends = new long[n];
    double[] ms = new double[n];
    for (int k = 0; k < n; k++) {
      int s = warmup + 1 + k;
      starts[k] = endedAt[s - 1];
      ends[k] = endedAt[s];
      ms[k] = (ends[k] - starts[k]) / 1e6;
    }
    int at = rule.settledAt(ends, ms, n);
    return allIfUnsettled && at < 0
        ? WarmUp.split(starts, ends, ms, n, 0, false)
        : WarmUp.split(starts, ends, ms, n, at);
  }
}
