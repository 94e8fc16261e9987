package dev.backstream.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The figures of {@code bench scale}: one row per worker count, as a table for people and as CSV.
 * Speed-up and parallel efficiency are against the first row (the smallest count measured), so
 * that a run of 2 and 4 workers still says something: efficiency = speed-up / (workers / first
 * row's workers). Immutable.
 */
final class ScaleTable {
  /** The CSV header; its columns are those of {@link Row}, in order, then the load average. */
  static final String CSV_HEADER = "workers,actors,batch,shards,hidden,steady_steps,settled,"
      + "median_ms,p99_ms,mean_ms,steps_per_s,samples_per_s,speedup,efficiency,load1";

  /**
   * One worker count's steady state.
   *
   * @param workers worker processes
   * @param actors shard actors per process
   * @param batch samples per step
   * @param shards shards per step
   * @param hidden hidden units
   * @param split the measured steps after the run's own warm-up, split by the warm-up rule
   * @param load1 the 1-minute load average when the row was measured (NaN if unknown)
   */
  record Row(int workers, int actors, int batch, int shards, int hidden, WarmUp.Split split,
      double load1) {
    /** Steady steps per second: 1000 over the steady mean step. */
    double stepsPerSecond() {
      return 1000 / split.steadyMeanMillis();
    }
  }

  private final List<Row> rows;

  /** @param rows the rows in the order measured, at least one (copied) */
  ScaleTable(List<Row> rows) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("a scale table needs at least one row");
    }
    this.rows = List.copyOf(rows);
  }

  /** The rows, in the order measured. */
  List<Row> rows() {
    return rows;
  }

  /** How many times the first row's steps per second row {@code i} makes. */
  double speedup(int i) {
    return rows.get(i).stepsPerSecond() / rows.get(0).stepsPerSecond();
  }

  /** {@link #speedup} over the factor by which row {@code i} has more workers than the first. */
  double efficiency(int i) {
    return speedup(i) * rows.get(0).workers() / rows.get(i).workers();
  }

  /** The table for people, one line per row after a header, each ending in a newline. */
  String format() {
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
        "%7s %6s %9s %9s %9s %8s %10s %8s %10s %7s%n", "workers", "actors", "median ms",
        "p99 ms", "steps/s", "samples/s", "speed-up", "eff.", "steady", "load"));
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      b.append(String.format(Locale.ROOT, "%7d %6d %9.2f %9.2f %9.1f %8.0f %9.2fx %7.0f%% %10s %7.1f%n",
          r.workers(), r.actors(), r.split().steadyMedianMillis(), r.split().steadyP99Millis(),
          r.stepsPerSecond(), r.stepsPerSecond() * r.batch(), speedup(i), 100 * efficiency(i),
          r.split().steadySamples() + (r.split().settled() ? "" : "*"), r.load1()));
    }
    return b.toString();
  }

  /** The rows as CSV lines, header first. */
  List<String> csv() {
    List<String> lines = new ArrayList<>();
    lines.add(CSV_HEADER);
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      WarmUp.Split s = r.split();
      lines.add(String.format(Locale.ROOT, "%d,%d,%d,%d,%d,%d,%b,%.3f,%.3f,%.3f,%.2f,%.1f,%.3f,%.3f,%.2f",
          r.workers(), r.actors(), r.batch(), r.shards(), r.hidden(), s.steadySamples(),
          s.settled(), s.steadyMedianMillis(), s.steadyP99Millis(), s.steadyMeanMillis(),
          r.stepsPerSecond(), r.stepsPerSecond() * r.batch(), speedup(i), efficiency(i),
          r.load1()));
    }
    return lines;
  }

}
