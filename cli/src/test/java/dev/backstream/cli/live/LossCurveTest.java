package dev.backstream.cli.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstream.cli.live.LossCurve.Point;
import org.junit.jupiter.api.Test;

class LossCurveTest {
  @Test
  void keepsEveryStepUpToTwiceTheBoundThenHalves() {
    LossCurve curve = new LossCurve(2);
    curve.add(1, 1.0);
    curve.add(2, 2.0);
    curve.add(3, 3.0);
    assertThat(curve.points()).containsExactly(new Point(1, 1.0), new Point(2, 2.0), new Point(3, 3.0));

    curve.add(4, 4.0); // four points: pairs merge, windows of two steps from now on
    assertThat(curve.points()).containsExactly(new Point(2, 1.5), new Point(4, 3.5));

    curve.add(5, 5.0); // half a window, shown as it stands
    assertThat(curve.points()).containsExactly(new Point(2, 1.5), new Point(4, 3.5), new Point(5, 5.0));

    curve.add(6, 6.0);
    assertThat(curve.points()).containsExactly(new Point(2, 1.5), new Point(4, 3.5), new Point(6, 5.5));
  }

  @Test
  void aLongRunStaysWithinTwiceTheBoundAndEndsOnItsLastStep() {
    LossCurve curve = new LossCurve(LiveState.LOSS_POINTS);
    for (long step = 1; step <= 10_000; step++) {
      curve.add(step, 1.0 / step);
    }
    assertThat(curve.points()).hasSizeBetween(LiveState.LOSS_POINTS, 2 * LiveState.LOSS_POINTS);
    assertThat(curve.points().get(curve.points().size() - 1).step()).isEqualTo(10_000);
  }
}
