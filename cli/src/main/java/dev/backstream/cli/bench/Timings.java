package dev.backstream.cli.bench;

import java.util.Arrays;

/** Summaries of repeated measurements. */
final class Timings {
  private Timings() {}

  /** The median of {@code values} (not modified). */
  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /** The value below which {@code fraction} of the values lie (nearest rank). */
  static double percentile(double[] values, double fraction) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(fraction * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
  }
}
