package dev.backstream.common.nn;

import java.util.Arrays;

/**
 * A run's parameters, or a gradient laid out like them, in the run's number type: a {@code
 * double[]} in a float64 run, a {@code float[]} in a float32 run. This is what travels along a
 * step's path (the kernel's input and output, the reduction tree, SGD, the frames), so that a
 * float32 step never converts a value between float and double; code that needs doubles
 * (checkpoints, the model file, evaluation) widens once with {@link #toDoubles()}, which is exact.
 *
 * <p>Mutable and not thread-safe: {@link #doubles()} and {@link #floats()} hand out the live
 * array, which SGD and the kernel write in place. Loops branch on the type once per call, on
 * {@link #dtype()}, and then run on the plain array. Equality compares the type and every value
 * as {@link Arrays#equals(double[], double[])} does ({@code -0.0 != 0.0}).
 */
public sealed interface FlatVector permits FlatVector.Float64, FlatVector.Float32 {

  /** The number type of the values. */
  Dtype dtype();

  /** The number of values. */
  int length();

  /**
   * The live array of a float64 vector (not a copy).
   *
   * @throws IllegalStateException if this is a float32 vector
   */
  double[] doubles();

  /**
   * The live array of a float32 vector (not a copy).
   *
   * @throws IllegalStateException if this is a float64 vector
   */
  float[] floats();

  /** The values widened to doubles (exact), in a new array. */
  double[] toDoubles();

  /** A deep copy. */
  FlatVector copy();

  /** A new vector of this one's type and length, all +0.0. */
  default FlatVector zerosLike() {
    return zeros(dtype(), length());
  }

  /** A new vector of {@code length} values of {@code dtype}, all +0.0. */
  static FlatVector zeros(Dtype dtype, int length) {
    return dtype == Dtype.FLOAT32 ? new Float32(new float[length]) : new Float64(new double[length]);
  }

  /** A float64 vector of a copy of {@code values}. */
  static FlatVector float64(double... values) {
    return new Float64(values.clone());
  }

  /** A float32 vector of a copy of {@code values}. */
  static FlatVector float32(float... values) {
    return new Float32(values.clone());
  }

  /** A float64 vector that keeps {@code values} itself: the caller hands the array over. */
  static FlatVector wrap(double[] values) {
    return new Float64(values);
  }

  /** A float32 vector that keeps {@code values} itself: the caller hands the array over. */
  static FlatVector wrap(float[] values) {
    return new Float32(values);
  }

  /**
   * {@code values} in {@code dtype}, each rounded to the nearest value of the type (for float64, a
   * plain copy): how a float32 run makes its parameters out of the float64 draws.
   *
   * @param values not modified
   */
  static FlatVector rounded(Dtype dtype, double[] values) {
    if (dtype == Dtype.FLOAT64) {
      return new Float64(values.clone());
    }
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (float) values[i];
    }
    return new Float32(out);
  }

  /**
   * {@code values} in {@code dtype} without rounding: each must be a value of the type (or NaN).
   *
   * @param values not modified
   * @throws IllegalArgumentException naming the first value that the type cannot hold
   */
  static FlatVector exactly(Dtype dtype, double[] values) {
    FlatVector out = rounded(dtype, values);
    if (dtype == Dtype.FLOAT32) {
      float[] floats = out.floats();
      for (int i = 0; i < values.length; i++) {
        if (floats[i] != values[i] && !Double.isNaN(values[i])) {
          throw new IllegalArgumentException("value " + i + " (" + values[i] + ") is not a float32"
              + " value: a float32 run computes every value in float");
        }
      }
    }
    return out;
  }

  /** IEEE 754 binary64 values. */
  final class Float64 implements FlatVector {
    private final double[] values;

    private Float64(double[] values) {
      this.values = values;
    }

    @Override
    public Dtype dtype() {
      return Dtype.FLOAT64;
    }

    @Override
    public int length() {
      return values.length;
    }

    @Override
    public double[] doubles() {
      return values;
    }

    @Override
    public float[] floats() {
      throw new IllegalStateException("a float64 vector has no float array");
    }

    @Override
    public double[] toDoubles() {
      return values.clone();
    }

    @Override
    public FlatVector copy() {
      return new Float64(values.clone());
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Float64 v && Arrays.equals(values, v.values);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
      return "FlatVector[" + values.length + " float64]";
    }
  }

  /** IEEE 754 binary32 values. */
  final class Float32 implements FlatVector {
    private final float[] values;

    private Float32(float[] values) {
      this.values = values;
    }

    @Override
    public Dtype dtype() {
      return Dtype.FLOAT32;
    }

    @Override
    public int length() {
      return values.length;
    }

    @Override
    public double[] doubles() {
      throw new IllegalStateException("a float32 vector has no double array");
    }

    @Override
    public float[] floats() {
      return values;
    }

    @Override
    public double[] toDoubles() {
      double[] out = new double[values.length];
      for (int i = 0; i < values.length; i++) {
        out[i] = values[i];
      }
      return out;
    }

    @Override
    public FlatVector copy() {
      return new Float32(values.clone());
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Float32 v && Arrays.equals(values, v.values);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
      return "FlatVector[" + values.length + " float32]";
    }
  }
}
