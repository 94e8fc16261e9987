package dev.backstream.common.protocol;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Counts rejected records by reason and logs them at most once per reason per minute, with how
 * many were dropped since, so a flood of poison records neither hides nor drowns the log.
 *
 * <p>Not thread-safe: one owner (an actor) calls it.
 */
public final class Rejections {
  private static final long LOG_EVERY_NANOS = 60_000_000_000L;

  private final Logger log;
  private final String what;
  private final LongSupplier clock;
  private final Map<RejectReason, Long> counts = new EnumMap<>(RejectReason.class);
  private final Map<RejectReason, Long> loggedAt = new EnumMap<>(RejectReason.class);
  private final Map<RejectReason, Long> unlogged = new EnumMap<>(RejectReason.class);

  /**
   * @param log where the once-a-minute lines go (WARN)
   * @param what names the records in the log line, e.g. "gradient record"
   * @param clock nanosecond time source
   */
  public Rejections(Logger log, String what, LongSupplier clock) {
    this.log = log;
    this.what = what;
    this.clock = clock;
  }

  /** Counts one rejection; logs it if its reason has not been logged in the last minute. */
  public void reject(RejectReason reason, String detail) {
    counts.merge(reason, 1L, Long::sum);
    long now = clock.getAsLong();
    Long last = loggedAt.get(reason);
    if (last == null || now - last >= LOG_EVERY_NANOS) {
      long since = unlogged.getOrDefault(reason, 0L);
      if (since > 0) {
        log.warn("rejected a {} ({}): {} (and {} more since the last such line)", what, reason,
            detail, since);
      } else {
        log.warn("rejected a {} ({}): {}", what, reason, detail);
      }
      loggedAt.put(reason, now);
      unlogged.remove(reason);
    } else {
      unlogged.merge(reason, 1L, Long::sum);
      log.debug("rejected a {} ({}): {}", what, reason, detail);
    }
  }

  /** The count of every reason seen so far, by reason name, sorted. */
  public Map<String, Long> byReason() {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((reason, n) -> out.put(reason.name(), n));
    return out;
  }

  /** All rejections so far. */
  public long total() {
    long total = 0;
    for (long n : counts.values()) {
      total += n;
    }
    return total;
  }
}
