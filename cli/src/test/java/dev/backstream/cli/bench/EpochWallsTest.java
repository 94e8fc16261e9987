package dev.backstream.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How a run's epoch walls split its wall into a steady pace and the warm-up before it. */
class EpochWallsTest {
  private static EpochWalls.Mark at(long step, double wall) {
    return new EpochWalls.Mark(step, wall);
  }

  @Test
  void theSteadyPaceIsTheMedianOfTheLaterHalfOfTheWholeEpochs() {
    // ms a step per epoch: 10, 5, 2.5, 2.5, 3; then a part epoch of 100 steps at 2 ms
    EpochWalls walls = new EpochWalls(List.of(at(600, 6.0), at(1200, 9.0), at(1800, 10.5),
        at(2400, 12.0), at(3000, 13.8), at(3100, 14.0)));

    assertThat(walls.steadyMsPerStep()).isCloseTo(2.5, within(1e-9));
    assertThat(walls.warmUpSeconds(14.0, 3100)).isCloseTo(14.0 - 3100 * 2.5 / 1000, within(1e-9));
  }

  @Test
  void aPartEpochInTheMiddleIsNoEpoch() {
    // a resumed or shortened epoch: 300 steps, left out though it is not the last
    EpochWalls walls = new EpochWalls(List.of(at(600, 3.0), at(900, 9.0), at(1500, 10.2),
        at(2100, 11.4)));

    assertThat(walls.steadyMsPerStep()).isCloseTo(2.0, within(1e-9));
  }

  @Test
  void fewerThanTwoWholeEpochsHaveNoSteadyPace() {
    assertThat(new EpochWalls(List.of()).steadyMsPerStep()).isNaN();
    assertThat(new EpochWalls(List.of(at(600, 3.0), at(700, 3.2))).steadyMsPerStep()).isNaN();
    assertThat(new EpochWalls(List.of(at(600, 3.0))).warmUpSeconds(3.0, 600)).isNaN();
  }
}
