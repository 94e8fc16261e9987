package dev.backstream.cli.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * When a run finished each epoch, on its own clock (seconds from its first step): what splits a
 * wall into the steady pace and the warm-up before it. A JVM spends its first seconds compiling,
 * a Python process with a compiled library does not, so two walls alone do not say whether the
 * steps or the start are slower.
 *
 * @param marks the step that ended each epoch and its wall, in step order; the last may be a part
 *     epoch
 */
record EpochWalls(List<Mark> marks) {
  /** The end of an epoch: its last step and the seconds since the run's first. */
  record Mark(long step, double wallSeconds) {}

  EpochWalls {
    marks = List.copyOf(marks);
  }

  /**
   * Milliseconds a step at the run's steady pace: the median over the later half of its whole
   * epochs (those as long as the first; a last part epoch is left out) of each epoch's wall per
   * step, the epoch's evaluation included. NaN with fewer than two whole epochs.
   */
  double steadyMsPerStep() {
    List<Double> perStep = new ArrayList<>();
    long epochSteps = marks.isEmpty() ? 0 : marks.get(0).step();
    Mark previous = new Mark(0, 0.0);
    for (Mark m : marks) {
      if (m.step() - previous.step() == epochSteps) {
        perStep.add(1000.0 * (m.wallSeconds() - previous.wallSeconds()) / epochSteps);
      }
      previous = m;
    }
    if (perStep.size() < 2) {
      return Double.NaN;
    }
    List<Double> later = perStep.subList(perStep.size() / 2, perStep.size());
    return Timings.median(later.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /**
   * The seconds {@code wallSeconds} spent above {@code steps} steps at the steady pace: the cost
   * of the warm-up. NaN where the pace is.
   */
  double warmUpSeconds(double wallSeconds, long steps) {
    return wallSeconds - steps * steadyMsPerStep() / 1000.0;
  }
}
