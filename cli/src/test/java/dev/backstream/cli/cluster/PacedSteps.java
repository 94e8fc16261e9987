package dev.backstream.cli.cluster;

import dev.backstream.coordinator.training.TrainingListener;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Slows a coordinator down until a test has done what it must do mid-run (start or kill a
 * process): an unpaced run of a few hundred steps can end before a child JVM has even started on
 * a loaded machine. Remembers the last step done.
 */
final class PacedSteps implements TrainingListener {
  private final long pauseMillis;
  private final AtomicBoolean paced = new AtomicBoolean(true);
  private final AtomicLong step = new AtomicLong();

  /** @param pauseMillis how long each step waits after it is done while paced */
  PacedSteps(long pauseMillis) {
    this.pauseMillis = pauseMillis;
  }

  @Override
  public void onStep(long done, long total) {
    step.set(done);
    if (paced.get()) {
      try {
        Thread.sleep(pauseMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The last step done. */
  long step() {
    return step.get();
  }

  /** Lets the run go at its own speed from now on. */
  void release() {
    paced.set(false);
  }
}
