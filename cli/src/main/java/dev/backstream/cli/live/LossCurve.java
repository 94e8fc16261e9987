package dev.backstream.cli.live;

import java.util.ArrayList;
import java.util.List;

/**
 * The training loss per step, kept to a bounded number of points: each point is the mean of a
 * window of consecutive steps, and when the points reach twice the bound, neighbours merge and
 * the window doubles. A 10,000-step run then polls as a few hundred points, not 10,000, while
 * the curve keeps its shape. Not thread-safe; {@link LiveState} guards it.
 */
final class LossCurve {
  /** One point: the mean loss of the steps up to {@code step} since the previous point. */
  record Point(long step, double loss) {}

  private final int bound;
  private final List<Point> points = new ArrayList<>();
  private long window = 1;
  private long pendingSteps;
  private double pendingSum;
  private long lastStep;

  /** @param bound at least this many points are kept once there are as many windows, at most twice it */
  LossCurve(int bound) {
    if (bound < 1) {
      throw new IllegalArgumentException("Invalid value " + bound + " for bound: must be at least 1");
    }
    this.bound = bound;
  }

  /** Adds the mean loss of {@code step} (steps arrive in order). */
  void add(long step, double loss) {
    pendingSum += loss;
    pendingSteps++;
    lastStep = step;
    if (pendingSteps < window) {
      return;
    }
    points.add(new Point(step, pendingSum / pendingSteps));
    pendingSum = 0;
    pendingSteps = 0;
    if (points.size() == 2 * bound) {
      halve();
    }
  }

  /** The points so far, oldest first, including the unfinished window's mean. */
  List<Point> points() {
    List<Point> all = new ArrayList<>(points);
    if (pendingSteps > 0) {
      all.add(new Point(lastStep, pendingSum / pendingSteps));
    }
    return all;
  }

  // Every point is a whole window until the halving, so pairs have equal weight and their mean is
  // the mean of the steps they cover.
  private void halve() {
    List<Point> merged = new ArrayList<>(bound);
    for (int i = 0; i + 1 < points.size(); i += 2) {
      Point a = points.get(i);
      Point b = points.get(i + 1);
      merged.add(new Point(b.step(), (a.loss() + b.loss()) / 2));
    }
    points.clear();
    points.addAll(merged);
    window *= 2;
  }
}
