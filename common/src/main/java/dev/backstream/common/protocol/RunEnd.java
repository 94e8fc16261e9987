package dev.backstream.common.protocol;

import java.util.Optional;

/**
 * Tells from a run's metrics lines, read in topic order, whether the run has finished: the
 * coordinator evaluates the last step and publishes that epoch line, whose step is the run
 * line's {@code steps}. No new record kind is needed for it, so every reader of older topics
 * (and every older reader of newer ones) still understands the topic.
 *
 * <p>Mutable, for one reader thread: feed it every line with {@link #accept}.
 */
public final class RunEnd {
  private long steps = -1;
  private MetricsRecord last;

  /**
   * Takes the next line of the topic.
   *
   * @param line a metrics line, in topic order
   * @return the run's final epoch line, once it has been seen (and on every later call)
   */
  public Optional<MetricsRecord> accept(MetricsLine line) {
    if (last == null) {
      if (line instanceof RunRecord r) {
        steps = r.spec() == null ? -1 : r.spec().steps();
      } else if (line instanceof MetricsRecord m && steps >= 0 && m.step() >= steps) {
        last = m;
      }
    }
    return finished();
  }

  /** The run's final epoch line, if it has been seen. */
  public Optional<MetricsRecord> finished() {
    return Optional.ofNullable(last);
  }
}
