package dev.backstream.coordinator.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstream.common.nn.Dtype;
import dev.backstream.common.nn.FlatVector;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * SGD computes each update once and tests it in the same pass; it must give the bits, and the
 * verdict, of the two passes it replaced ({@code staysFinite}, then {@code step} in place).
 */
class SgdTest {
  private static final int BATCH = 100;

  @Test
  void aHandComputedStep() {
    FlatVector next = FlatVector.float64(0, 0);
    assertThat(Sgd.step(FlatVector.float64(1, -2), FlatVector.float64(50, 100), BATCH, 0.1, next))
        .isTrue();
    assertThat(next.doubles()).containsExactly(1 - 0.1 * 0.5, -2 - 0.1 * 1.0);
  }

  @Test
  void float64GivesTheBitsAndTheVerdictOfTheTwoPasses() {
    Random random = new Random(345);
    for (int trial = 0; trial < 200; trial++) {
      double[] p = randomDoubles(random, 257);
      double[] g = randomDoubles(random, 257);
      double lr = trial % 3 == 0 ? 1e300 : random.nextDouble();
      FlatVector next = FlatVector.zeros(Dtype.FLOAT64, p.length);
      boolean finite = Sgd.step(FlatVector.float64(p), FlatVector.float64(g), BATCH, lr, next);

      boolean expectedFinite = true;
      for (int i = 0; i < p.length; i++) {
        double old = twoPassUpdate(p[i], g[i], lr, Dtype.FLOAT64);
        expectedFinite &= Double.isFinite(old);
        assertThat(Double.doubleToRawLongBits(next.doubles()[i])).as("trial %d, value %d", trial, i)
            .isEqualTo(Double.doubleToRawLongBits(old));
      }
      assertThat(finite).as("trial %d", trial).isEqualTo(expectedFinite);
    }
  }

  @Test
  void float32GivesTheBitsAndTheVerdictOfTheTwoPasses() {
    Random random = new Random(346);
    int overflowed = 0;
    for (int trial = 0; trial < 200; trial++) {
      float[] p = randomFloats(random, 257);
      float[] g = randomFloats(random, 257);
      // a learning rate that is no float: the old code rounded it to float
      double lr = trial % 3 == 0 ? 1e30 : random.nextDouble();
      FlatVector next = FlatVector.zeros(Dtype.FLOAT32, p.length);
      boolean finite = Sgd.step(FlatVector.float32(p), FlatVector.float32(g), BATCH, lr, next);

      boolean expectedFinite = true;
      for (int i = 0; i < p.length; i++) {
        // the old code held floats widened in doubles
        double old = twoPassUpdate(p[i], g[i], lr, Dtype.FLOAT32);
        expectedFinite &= Double.isFinite(old);
        assertThat(Double.doubleToRawLongBits(next.floats()[i])).as("trial %d, value %d", trial, i)
            .isEqualTo(Double.doubleToRawLongBits(old));
      }
      assertThat(finite).as("trial %d", trial).isEqualTo(expectedFinite);
      overflowed += finite ? 0 : 1;
    }
    assertThat(overflowed).as("trials that overflow to infinity").isBetween(1, 199);
  }

  @Test
  void aSingleInfiniteValueIsFoundAnywhere() {
    for (int at = 0; at < 37; at++) {
      float[] g = new float[37];
      g[at] = -Float.MAX_VALUE;
      FlatVector next = FlatVector.zeros(Dtype.FLOAT32, g.length);
      assertThat(Sgd.step(FlatVector.float32(new float[37]), FlatVector.float32(g), 1, 2.0, next))
          .as("infinity at %d", at).isFalse();
      assertThat(next.floats()[at]).isEqualTo(Float.POSITIVE_INFINITY);
    }
  }

  @Test
  void refusesVectorsThatDoNotMatch() {
    FlatVector p = FlatVector.float32(1f, 2f);
    assertThatThrownBy(() -> Sgd.step(p, FlatVector.float64(1, 2), BATCH, 0.1,
            FlatVector.zeros(Dtype.FLOAT32, 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("float64 values");
    assertThatThrownBy(() -> Sgd.step(p, FlatVector.float32(1f, 2f), BATCH, 0.1, p))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be params");
  }

  /** The update as the two-pass code computed it, on values held as doubles. */
  private static double twoPassUpdate(double p, double g, double lr, Dtype dtype) {
    if (dtype == Dtype.FLOAT32) {
      return (float) p - (float) lr * ((float) g / BATCH);
    }
    return p - lr * (g / BATCH);
  }

  /** Finite doubles of every size, some near the largest, so that updates overflow. */
  private static double[] randomDoubles(Random random, int n) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = random.nextInt(50) == 0
          ? Math.copySign(Double.MAX_VALUE, random.nextGaussian())
          : random.nextGaussian() * Math.pow(10, random.nextInt(60) - 30);
    }
    return out;
  }

  /** Finite floats of every size, some near the largest, so that updates overflow. */
  private static float[] randomFloats(Random random, int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = random.nextInt(50) == 0
          ? Math.copySign(Float.MAX_VALUE, (float) random.nextGaussian())
          : (float) (random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20));
    }
    return out;
  }
}
