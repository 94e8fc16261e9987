package dev.backstream.cli.report;

import dev.backstream.common.protocol.LossRecord;
import dev.backstream.common.protocol.MetricsLine;
import dev.backstream.common.protocol.MetricsRecord;
import dev.backstream.common.protocol.RunRecord;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a report shows of one run, gathered from its metrics lines in any order.
 *
 * <p>A coordinator that takes over a run sends its settings again and may repeat steps and epochs
 * after the last checkpoint; their values are the same bits, so the last line of each wins.
 *
 * @param settings the run's settings, or null when the lines have none (written before run lines
 *     existed)
 * @param epochs one record per epoch, in epoch order; never empty
 * @param steps the steps whose loss is known, ascending
 * @param losses the mean loss of each of {@code steps}
 */
public record RunMetrics(
    RunRecord settings, List<MetricsRecord> epochs, long[] steps, double[] losses) {

  /** Copies the lists and arrays. */
  public RunMetrics {
    epochs = List.copyOf(epochs);
    steps = steps.clone();
    losses = losses.clone();
  }

  /**
   * Gathers the lines of one run.
   *
   * @param lines the lines as read
   * @return the run's metrics, or null if there is no epoch line among them
   */
  public static RunMetrics of(List<MetricsLine> lines) {
    RunRecord settings = null;
    Map<Long, MetricsRecord> epochs = new TreeMap<>();
    TreeMap<Long, Double> loss = new TreeMap<>();
    for (MetricsLine line : lines) {
      if (line instanceof RunRecord r) {
        settings = r;
      } else if (line instanceof MetricsRecord m) {
        epochs.put(m.epoch(), m);
      } else if (line instanceof LossRecord l) {
        double[] values = l.losses();
        for (int i = 0; i < values.length; i++) {
          loss.put(l.firstStep() + i, values[i]);
        }
      }
    }
    if (epochs.isEmpty()) {
      return null;
    }
    return new RunMetrics(settings, List.copyOf(epochs.values()),
        loss.keySet().stream().mapToLong(Long::longValue).toArray(),
        loss.values().stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** The run's name. */
  public String run() {
    return settings != null ? settings.run() : epochs.get(0).run();
  }

  /** The last epoch's record: the run's result so far. */
  public MetricsRecord last() {
    return epochs.get(epochs.size() - 1);
  }

  @Override
  public long[] steps() {
    return steps.clone();
  }

  @Override
  public double[] losses() {
    return losses.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RunMetrics r && Objects.equals(settings, r.settings)
        && epochs.equals(r.epochs) && Arrays.equals(steps, r.steps)
        && Arrays.equals(losses, r.losses);
  }

  @Override
  public int hashCode() {
    return Objects.hash(settings, epochs, Arrays.hashCode(steps),
        Arrays.hashCode(losses));
  }

  @Override
  public String toString() {
    return "RunMetrics[run=" + run() + ", epochs=" + epochs.size() + ", losses=" + losses.length + "]";
  }
}
