package dev.backstream.cli.live;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StepRateTest {
  private static final long SECOND = 1_000_000_000L;
  private final StepRate rate = new StepRate();

  @Test
  void nothingToSayBeforeTwoSamples() {
    assertThat(rate.perSecond(0)).isZero();
    rate.add(0, 1);
    assertThat(rate.perSecond(SECOND)).isZero();
  }

  @Test
  void countsTheStepsOfTheLastTenSecondsOnly() {
    rate.add(0, 0);
    rate.add(5 * SECOND, 500); // 100 steps/s for 5 s
    assertThat(rate.perSecond(5 * SECOND)).isEqualTo(100.0);
    rate.add(12 * SECOND, 640); // the sample at 0 s leaves: (640 - 500) / 7 s
    assertThat(rate.perSecond(12 * SECOND)).isEqualTo(20.0);
  }

  @Test
  void aStalledRunReadsZero() {
    rate.add(0, 0);
    rate.add(SECOND, 50);
    assertThat(rate.perSecond(SECOND + StepRate.WINDOW_NANOS + 1)).isZero();
  }
}
