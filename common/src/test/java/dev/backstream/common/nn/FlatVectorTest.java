package dev.backstream.common.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FlatVectorTest {

  @Test
  void roundedMakesFloatsOfDoublesAndWidensBackExactly() {
    double[] values = {0.1, -0.0, 1e-50, 3.5, 1e40};
    FlatVector v = FlatVector.rounded(Dtype.FLOAT32, values);
    assertThat(v.dtype()).isEqualTo(Dtype.FLOAT32);
    assertThat(v.floats()).containsExactly(0.1f, -0.0f, 0f, 3.5f, Float.POSITIVE_INFINITY);
    assertThat(v.toDoubles()).containsExactly((double) 0.1f, -0.0, 0.0, 3.5, Double.POSITIVE_INFINITY);
    assertThat(values[0]).as("not modified").isEqualTo(0.1);
    assertThat(FlatVector.rounded(Dtype.FLOAT64, values).doubles()).containsExactly(values);
  }

  @Test
  void exactlyRefusesAValueTheTypeCannotHold() {
    assertThat(FlatVector.exactly(Dtype.FLOAT32, new double[] {0.5, (double) 0.1f, Double.NaN})
            .floats()[1]).isEqualTo(0.1f);
    assertThatThrownBy(() -> FlatVector.exactly(Dtype.FLOAT32, new double[] {0.5, 0.1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("value 1 (0.1) is not a float32 value");
    assertThat(FlatVector.exactly(Dtype.FLOAT64, new double[] {0.1}).doubles()).containsExactly(0.1);
  }

  @Test
  void wrapKeepsTheArrayAndCopyDoesNot() {
    float[] floats = {1f, 2f};
    FlatVector wrapped = FlatVector.wrap(floats);
    FlatVector copy = wrapped.copy();
    floats[0] = 9f;
    assertThat(wrapped.floats()).containsExactly(9f, 2f);
    assertThat(copy.floats()).containsExactly(1f, 2f);
    double[] doubles = {1, 2};
    FlatVector.wrap(doubles).doubles()[1] = 7;
    assertThat(doubles).containsExactly(1, 7);
  }

  @Test
  void zerosLikeKeepsTypeAndLength() {
    FlatVector z = FlatVector.float32(1f, 2f, 3f).zerosLike();
    assertThat(z.dtype()).isEqualTo(Dtype.FLOAT32);
    assertThat(z.floats()).containsExactly(0f, 0f, 0f);
    assertThat(FlatVector.zeros(Dtype.FLOAT64, 2).doubles()).containsExactly(0, 0);
  }

  @Test
  void equalityComparesTypeAndEveryValue() {
    assertThat(FlatVector.float32(1f, 2f)).isEqualTo(FlatVector.float32(1f, 2f))
        .hasSameHashCodeAs(FlatVector.float32(1f, 2f));
    assertThat(FlatVector.float32(1f, 2f)).isNotEqualTo(FlatVector.float64(1, 2));
    assertThat(FlatVector.float64(0.0)).isNotEqualTo(FlatVector.float64(-0.0));
    assertThat(FlatVector.float32(0f)).isNotEqualTo(FlatVector.float32(-0f));
  }

  @Test
  void theArrayOfTheOtherTypeIsRefused() {
    assertThatThrownBy(() -> FlatVector.float64(1).floats())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("float64 vector");
    assertThatThrownBy(() -> FlatVector.float32(1f).doubles())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("float32 vector");
  }

  @Test
  void parametersWidenAFloat32Vector() {
    NetShape shape = NetShape.of(2, 1);
    FlatVector v = FlatVector.rounded(Dtype.FLOAT32, new double[shape.parameterCount()]);
    v.floats()[0] = 0.1f;
    Parameters p = Parameters.of(shape, v);
    assertThat(p.values()[0]).isEqualTo((double) 0.1f);
    assertThatThrownBy(() -> Parameters.of(shape, FlatVector.float32(1f)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be");
  }
}
