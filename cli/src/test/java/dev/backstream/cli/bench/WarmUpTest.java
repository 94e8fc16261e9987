package dev.backstream.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The warm-up rule on made-up series whose answer is known. */
class WarmUpTest {
  /** Back-to-back samples: {@code slow} of {@code slowMs}, then {@code fast} of {@code fastMs}. */
  private record Series(long[] starts, long[] ends, double[] millis) {
    static Series of(int slow, double slowMs, int fast, double fastMs) {
      int n = slow + fast;
      Series s = new Series(new long[n], new long[n], new double[n]);
      long t = 0;
      for (int i = 0; i < n; i++) {
        double ms = i < slow ? slowMs : fastMs;
        s.starts[i] = t;
        t += (long) (ms * 1e6);
        s.ends[i] = t;
        s.millis[i] = ms;
      }
      return s;
    }
  }

  @Test
  void aFlatSlowStartCountsAsSteady() {
    // 5 s at 10 ms (500 samples, 5 windows), then 5 s at 5 ms
    Series s = Series.of(500, 10, 1000, 5);
    int at = WarmUp.DEFAULT.settledAt(s.ends(), s.millis(), s.millis().length);
    // the slow phase alone is steady too: the rule only sees that it stopped moving
    assertThat(at).isZero();
  }

  @Test
  void aPhaseThatKeepsGettingFasterIsWarmUp() {
    // each second 20 % faster than the one before, for 6 s, then flat for 4 s
    int n = 0;
    long[] ends = new long[20_000];
    long[] starts = new long[ends.length];
    double[] ms = new double[ends.length];
    long t = 0;
    int flatFrom = -1;
    for (int second = 0; second < 10; second++) {
      double each = 10 * Math.pow(0.8, Math.min(second, 6));
      if (second == 6) {
        flatFrom = n;
      }
      for (long end = t + 1_000_000_000L; t < end; n++) {
        starts[n] = t;
        t += (long) (each * 1e6);
        ends[n] = t;
        ms[n] = each;
      }
    }
    int at = WarmUp.DEFAULT.settledAt(ends, ms, n);
    // windows are cut by the samples' own clock, so they need not start on the second
    int flatPerSecond = (int) (1000 / (10 * Math.pow(0.8, 6)));
    assertThat(at).isBetween(flatFrom - flatPerSecond / 2, flatFrom + flatPerSecond);
    WarmUp.Split split = WarmUp.split(starts, ends, ms, n, at);
    assertThat(split.settled()).isTrue();
    assertThat(split.warmupSamples()).isEqualTo(at);
    assertThat(split.steadyMedianMillis()).isEqualTo(10 * Math.pow(0.8, 6));
  }

  @Test
  void aSeriesThatNeverSettlesIsAllWarmUp() {
    Series s = Series.of(100, 10, 100, 5);
    int at = WarmUp.DEFAULT.settledAt(s.ends(), s.millis(), s.millis().length);
    assertThat(at).isEqualTo(-1);
    WarmUp.Split split = WarmUp.split(s.starts(), s.ends(), s.millis(), s.millis().length, at);
    assertThat(split.settled()).isFalse();
    assertThat(split.steadySamples()).isZero();
  }
}
