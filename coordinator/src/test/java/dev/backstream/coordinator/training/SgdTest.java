package dev.backstream.coordinator.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstream.common.nn.Dtype;
import dev.backstream.common.nn.FlatVector;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

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

  @ParameterizedTest
  @EnumSource(Dtype.class)
  void givesTheBitsAndTheVerdictOfTheTwoPasses(Dtype dtype) {
    Random random = new Random(345);
    int overflowed = 0;
    for (int trial = 0; trial < 200; trial++) {
      FlatVector p = FlatVector.rounded(dtype, randomValues(random, 257, dtype));
      FlatVector g = FlatVector.rounded(dtype, randomValues(random, 257, dtype));
      // some trials overflow to infinity; a learning rate that is no float, as the old code met
      double lr = trial % 3 == 0 ? (dtype == Dtype.FLOAT32 ? 1e30 : 1e300) : random.nextDouble();
      FlatVector next = p.zerosLike();
      boolean finite = Sgd.step(p, g, BATCH, lr, next);

      // the old code held float32 values widened in doubles
      double[] pd = p.toDoubles();
      double[] gd = g.toDoubles();
      double[] nextd = next.toDoubles();
      boolean expectedFinite = true;
      for (int i = 0; i < pd.length; i++) {
        double old = twoPassUpdate(pd[i], gd[i], lr, dtype);
        expectedFinite &= Double.isFinite(old);
        assertThat(Double.doubleToRawLongBits(nextd[i])).as("trial %d, value %d", trial, i)
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

  /** Finite values of every size, some the type's largest, so that updates overflow. */
  private static double[] randomValues(Random random, int n, Dtype dtype) {
    double largest = dtype == Dtype.FLOAT32 ? Float.MAX_VALUE : Double.MAX_VALUE;
    int decades = dtype == Dtype.FLOAT32 ? 40 : 60;
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = random.nextInt(50) == 0
          ? Math.copySign(largest, random.nextGaussian())
          : random.nextGaussian() * Math.pow(10, random.nextInt(decades) - decades / 2);
    }
    return out;
  }
}
