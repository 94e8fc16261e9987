package dev.backstream.cli.bench;

import dev.backstream.coordinator.training.EpochReport;
import dev.backstream.coordinator.training.TrainingListener;
import java.util.ArrayList;
import java.util.List;

/**
 * The wall time of each step of one coordinator run, taken from the listener's calls: step s lasts
 * from the end of step s - 1 to its own end, which spans everything a synchronous step does
 * (publish, shard gradients, the way back, reduction, SGD).
 *
 * <p>Also notes when each epoch's evaluation ran: it runs off the step loop, but on the same CPUs,
 * so steps that start while it runs are slower for a reason that is not the step's. Thread-safe:
 * steps and evaluations are reported from different threads.
 */
final class StepTimes implements TrainingListener {
  /**
   * What the measured steps took.
   *
   * @param measured steps timed (after the warm-up)
   * @param leftOut of those, steps that started while an evaluation ran and are not summarised
   * @param medianMillis the median of the others, in milliseconds
   * @param p99Millis their 99th percentile (nearest rank), in milliseconds
   */
  record Summary(int measured, int leftOut, double medianMillis, double p99Millis) {}

  private final long[] endedAt;
  private final List<long[]> evaluations = new ArrayList<>();

  /** @param steps the run's step count */
  StepTimes(int steps) {
    this.endedAt = new long[steps + 1];
  }

  @Override
  public synchronized void onStep(long done, long total) {
    endedAt[(int) done] = System.nanoTime();
  }

  @Override
  public synchronized void onEpoch(EpochReport report) {
    // submitted right after the step it scores ended, reported when finished
    evaluations.add(new long[] {endedAt[(int) report.step()], System.nanoTime()});
  }

  /** When step {@code done} ended, in {@link System#nanoTime()}; 0 if it has not. */
  synchronized long endedAt(int done) {
    return endedAt[done];
  }

  /**
   * Summarises steps {@code warmup + 1} to the last.
   *
   * @param warmup steps not measured, at least 1 (the first step's start is not observed)
   * @return the summary; its median and p99 are NaN if no step is left
   */
  synchronized Summary summarize(int warmup) {
    double[] kept = new double[endedAt.length];
    int n = 0;
    int leftOut = 0;
    for (int s = warmup + 1; s < endedAt.length; s++) {
      long start = endedAt[s - 1];
      if (duringEvaluation(start)) {
        leftOut++;
      } else {
        kept[n++] = (endedAt[s] - start) / 1e6;
      }
    }
    double[] ms = java.util.Arrays.copyOf(kept, n);
    return n == 0
        ? new Summary(leftOut, leftOut, Double.NaN, Double.NaN)
        : new Summary(n + leftOut, leftOut, Timings.median(ms), Timings.percentile(ms, 0.99));
  }

  /**
   * Splits steps {@code warmup + 1} to the last into warm-up and steady state by {@code rule};
   * steps that started during an evaluation are left out, as in {@link #summarize}.
   */
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
    long[] starts = new long[Math.max(n, 0)];
    long[] ends = new long[starts.length];
    double[] ms = new double[starts.length];
    int kept = 0;
    for (int s = warmup + 1; s < endedAt.length; s++) {
      long start = endedAt[s - 1];
      if (!duringEvaluation(start)) {
        starts[kept] = start;
        ends[kept] = endedAt[s];
        ms[kept] = (endedAt[s] - start) / 1e6;
        kept++;
      }
    }
    int at = rule.settledAt(ends, ms, kept);
    return allIfUnsettled && at < 0
        ? WarmUp.split(starts, ends, ms, kept, 0, false)
        : WarmUp.split(starts, ends, ms, kept, at);
  }

  private boolean duringEvaluation(long at) {
    for (long[] e : evaluations) {
      if (at >= e[0] && at < e[1]) {
        return true;
      }
    }
    return false;
  }
}
