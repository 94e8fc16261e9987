package dev.backstream.worker.internal;

import dev.backstream.common.protocol.StepFrame;
import java.util.Optional;

/**
 * The steps a worker has read, as complete frames: a step frame that carries only the parameters
 * changed since the step before is completed from that step's frame, which this keeps. Frames
 * come in the order of the steps topic, so every step of a generation is seen before the next.
 *
 * <p>A worker that started after the step before, or could not read it (a corrupt record), cannot
 * complete the changes and skips them until the coordinator publishes a complete frame: at a
 * change of the live workers, every 100th step, and whenever a step is handed out again after its
 * deadline. Not thread-safe: the poller thread owns it.
 */
final class StepChain {
  private StepFrame last;

  /**
   * The frame with all its parameters, and from now on the one the next step's changes apply to.
   *
   * @return empty if {@code f} carries changes since a step this worker does not hold
   */
  Optional<StepFrame> complete(StepFrame f) {
    Optional<StepFrame> complete = f.resolvedAgainst(last);
    complete.filter(c -> !behindLast(c)).ifPresent(c -> last = c);
    return complete;
  }

  /**
   * Whether {@code f} is of the run of the frame kept and behind it: a late or replayed copy of
   * an older step, which the node will refuse, must not cut the chain of the steps to come.
   */
  private boolean behindLast(StepFrame f) {
    return last != null && f.run().equals(last.run())
        && (f.generation() < last.generation()
            || f.generation() == last.generation() && f.step() < last.step());
  }
}
