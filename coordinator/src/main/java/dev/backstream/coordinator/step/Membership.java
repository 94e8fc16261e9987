package dev.backstream.coordinator.step;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Who is alive: a worker is live from its first heartbeat or gradient until it says goodbye or is
 * silent for longer than the timeout. Time comes from the caller, in nanoseconds.
 */
public final class Membership {
  private final long timeoutNanos;
  private final Map<String, Long> lastSeen = new TreeMap<>();

  /** @param timeoutNanos silence after which a worker counts as gone */
  public Membership(long timeoutNanos) {
    this.timeoutNanos = timeoutNanos;
  }

  /**
   * Records a sign of life.
   *
   * @return true if the worker was not live before
   */
  public boolean seen(String worker, long nowNanos) {
    Long before = lastSeen.put(worker, nowNanos);
    return before == null || nowNanos - before > timeoutNanos;
  }

  /** Forgets a worker that said goodbye. Returns true if it was known. */
  public boolean left(String worker) {
    return lastSeen.remove(worker) != null;
  }

  /** Whether the worker has been seen within the timeout. */
  public boolean isLive(String worker, long nowNanos) {
    Long seen = lastSeen.get(worker);
    return seen != null && nowNanos - seen <= timeoutNanos;
  }

  /** Live workers in a stable (sorted) order; drops the silent ones. */
  public List<String> live(long nowNanos) {
    lastSeen.values().removeIf(seen -> nowNanos - seen > timeoutNanos);
    return new ArrayList<>(lastSeen.keySet());
  }
}
