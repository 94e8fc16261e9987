package dev.backstream.cli.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * When a series of timings (round trips, steps) has stopped getting faster. The series is cut into
 * consecutive windows of at least {@code window} of wall time and {@code minPerWindow} samples;
 * it has settled at the first of {@code windows} consecutive windows whose medians lie within
 * {@code tolerance} of each other (largest / smallest - 1). Everything before that first window is
 * warm-up. Windows of wall time, not of counts, because the slow start we see is time-based (the
 * JIT, the broker), not count-based.
 *
 * @param window the least wall time of a window
 * @param minPerWindow the fewest samples in a window
 * @param windows consecutive windows that must agree
 * @param tolerance how far their medians may differ, as a fraction of the smallest
 */
record WarmUp(Duration window, int minPerWindow, int windows, double tolerance) {
  /** The rule of {@code bench step}: 3 windows of 1 s (20 samples or more) within 5 %. */
  static final WarmUp DEFAULT = new WarmUp(Duration.ofSeconds(1), 20, 3, 0.05);

  /** The rule, for people. */
  String describe() {
    return String.format("warm once %d consecutive windows of >= %d ms and >= %d samples have "
        + "medians within %.0f %% of each other", windows, window.toMillis(), minPerWindow,
        100 * tolerance);
  }

  /**
   * Where the steady state starts.
   *
   * @param ends when each sample ended, in nanoseconds, ascending
   * @param millis what each sample took
   * @return the index of the first steady sample, or -1 if the series never settled
   */
  int settledAt(long[] ends, double[] millis, int count) {
    List<int[]> cuts = new ArrayList<>();
    List<Double> medians = new ArrayList<>();
    int from = 0;
    for (int i = 0; i < count; i++) {
      if (i + 1 - from >= minPerWindow && ends[i] - ends[from] >= window.toNanos()) {
        cuts.add(new int[] {from, i + 1});
        medians.add(Timings.median(Arrays.copyOfRange(millis, from, i + 1)));
        from = i + 1;
        int k = medians.size();
        if (k >= windows) {
          double lo = Double.MAX_VALUE;
          double hi = 0;
          for (double m : medians.subList(k - windows, k)) {
            lo = Math.min(lo, m);
            hi = Math.max(hi, m);
          }
          if (hi <= lo * (1 + tolerance)) {
            return cuts.get(k - windows)[0];
          }
        }
      }
    }
    return -1;
  }

  /**
   * A warm-up and the steady state after it.
   *
   * @param settled whether the rule was met (if not, everything was warm-up up to the cap)
   * @param warmupSamples samples before the steady state
   * @param warmupSeconds their wall time
   * @param warmupMedianMillis their median (NaN if none)
   * @param steadySamples samples of the steady state
   * @param steadyMedianMillis its median (NaN if none)
   * @param steadyP99Millis its 99th percentile, nearest rank (NaN if none)
   * @param steadyMeanMillis its mean (NaN if none): 1000 over it is the steady rate per second
   */
  record Split(boolean settled, int warmupSamples, double warmupSeconds, double warmupMedianMillis,
      int steadySamples, double steadyMedianMillis, double steadyP99Millis,
      double steadyMeanMillis) {
    /** One line for the report. */
    String describe(String unit) {
      String warm = warmupSamples == 0 ? "none"
          : String.format("%d %s in %.1f s, median %.2f ms", warmupSamples, unit, warmupSeconds,
              warmupMedianMillis);
      String steady = steadySamples == 0 ? "none"
          : String.format("%d %s, median %.2f ms, p99 %.2f ms", steadySamples, unit,
              steadyMedianMillis, steadyP99Millis);
      return "warm-up " + warm + (settled ? "" : " (rule never held)") + "; steady " + steady;
    }
  }

  /** Splits a series at {@code steadyFrom} (from {@link #settledAt}, or -1: all warm-up). */
  static Split split(long[] starts, long[] ends, double[] millis, int count, int steadyFrom) {
    return split(starts, ends, millis, count, steadyFrom < 0 ? count : steadyFrom,
        steadyFrom >= 0);
  }

  /** Splits a series at {@code cut}; {@code settled} says whether the rule put it there. */
  static Split split(long[] starts, long[] ends, double[] millis, int count, int cut,
      boolean settled) {
    double[] warm = Arrays.copyOfRange(millis, 0, cut);
    double[] steady = Arrays.copyOfRange(millis, cut, count);
    double warmSeconds = cut == 0 ? 0 : (ends[cut - 1] - starts[0]) / 1e9;
    return new Split(settled, cut, warmSeconds,
        warm.length == 0 ? Double.NaN : Timings.median(warm), steady.length,
        steady.length == 0 ? Double.NaN : Timings.median(steady),
        steady.length == 0 ? Double.NaN : Timings.percentile(steady, 0.99),
        steady.length == 0 ? Double.NaN : Arrays.stream(steady).average().orElseThrow());
  }
}
