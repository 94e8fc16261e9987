package dev.backstream.coordinator.internal;

import dev.backstream.common.nn.NetShape;
import dev.backstream.common.nn.Parameters;
import dev.backstream.common.protocol.CheckpointFrame;
import dev.backstream.common.protocol.MalformedJsonException;
import dev.backstream.common.protocol.RunSpec;
import dev.backstream.coordinator.CoordinatorConfig;
import dev.backstream.coordinator.RunConflictException;
import dev.backstream.coordinator.training.LossMeter;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a coordinator starts: step 0 with the seed's initial weights under generation 1, or the
 * run's newest checkpoint under the generation after the checkpoint's. Only the step count may
 * differ from the checkpoint's settings: anything else would silently train another model.
 *
 * @param generation this coordinator's generation
 * @param step the steps already done
 * @param params the parameters after them
 * @param epochSoFar the loss sums of the epoch's steps already done
 */
public record ResumePoint(long generation, long step, Parameters params, LossMeter.Sums epochSoFar) {
  private static final Logger log = LoggerFactory.getLogger(ResumePoint.class);

  /**
   * @throws RunConflictException if the checkpoint's settings or parameter count differ, or
   *     it is beyond {@code --steps}
   */
  public static ResumePoint of(
      CoordinatorConfig config, NetShape shape, Optional<CheckpointFrame> newest) {
    RunSpec settings = config.settings();
    if (newest.isEmpty()) {
      log.info("coordinating run '{}' as generation 1, from step 0", config.run());
      Parameters initial = Parameters.initial(shape, settings.weightInitStd(), settings.seed());
      settings.dtype().round(initial.values());
      return new ResumePoint(1, 0, initial, LossMeter.Sums.NONE);
    }
    CheckpointFrame c = newest.get();
    RunSpec theirs;
    try {
      theirs = RunSpec.fromJson(c.settings());
    } catch (MalformedJsonException | IllegalArgumentException e) {
      throw new RunConflictException("run '" + config.run() + "' has a checkpoint with"
          + " unreadable settings (" + e.getMessage() + "): start it under another --run");
    }
    if (!theirs.withSteps(settings.steps()).equals(settings)) {
      throw new RunConflictException("run '" + config.run() + "' was trained with " + theirs
          + "; this coordinator has " + settings + ": use the run's settings (only --steps may"
          + " change) or another --run");
    }
    if (c.step() > settings.steps() || c.paramsView().remaining() != shape.parameterCount()) {
      throw new RunConflictException("run '" + config.run() + "' has a checkpoint at step "
          + c.step() + " with " + c.paramsView().remaining() + " parameters; this coordinator"
          + " trains " + settings.steps() + " steps of " + shape.parameterCount()
          + " parameters: raise --steps or use another --run");
    }
    long generation = c.generation() + 1;
    log.info("resuming run '{}' from step {} (checkpoint of generation {}) as generation {}",
        config.run(), c.step(), c.generation(), generation);
    LossMeter.Sums epochSoFar = LossMeter.Sums.NONE;
    if (c.epochSamples() == CheckpointFrame.NOT_CARRIED) {
      log.warn("run '{}': its checkpoint is of an older build, without the epoch's loss so far:"
          + " the loss of the epoch in progress counts only the steps from {} on", config.run(),
          c.step());
    } else {
      epochSoFar = new LossMeter.Sums(c.epochLossSum(), c.epochSamples());
    }
    return new ResumePoint(generation, c.step(), Parameters.copyOf(shape, c.params()), epochSoFar);
  }

  /** The checkpoint that claims this generation: the parameters it starts from. */
  public CheckpointFrame checkpoint(String run, RunSpec settings) {
    return new CheckpointFrame(run, generation, step, settings.toJson(), params.values(),
        epochSoFar.lossSum(), epochSoFar.samples());
  }
}
