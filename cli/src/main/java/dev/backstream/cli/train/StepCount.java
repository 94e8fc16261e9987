package dev.backstream.cli.train;

import dev.backstream.cli.live.CompositeListener;
import dev.backstream.coordinator.training.TrainingListener;

/**
 * Counts the steps a run has done, for the message of a stopped run; and stops a local run, whose
 * loop does not look at interrupts, by throwing {@link Stopped} from the step after one.
 */
final class StepCount {
  private volatile long done;

  /** Steps done so far. */
  long done() {
    return done;
  }

  /** {@code inner}, with the steps counted. */
  TrainingListener counting(TrainingListener inner) {
    return CompositeListener.of(new TrainingListener() {
      @Override
      public void onStep(long step, long total) {
        done = step;
      }
    }, inner);
  }

  /** {@code inner}, with the steps counted, throwing {@link Stopped} once the thread is interrupted. */
  TrainingListener stoppingOnInterrupt(TrainingListener inner) {
    return CompositeListener.of(new TrainingListener() {
      @Override
      public void onStep(long step, long total) {
        done = step;
        if (Thread.currentThread().isInterrupted()) {
          throw new Stopped();
        }
      }
    }, inner);
  }

  /** Thrown out of a local run's step loop when the process was asked to stop. */
  static final class Stopped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Stopped() {
      super("stopped", null, false, false);
    }
  }
}
