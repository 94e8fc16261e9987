package dev.backstream.common.nn;

import java.util.Locale;

/**
 * The number type a run computes in: a run setting, like the activation. Along a step's path
 * parameters and gradients are held in it ({@link FlatVector}: a {@code float[]} in a {@link
 * #FLOAT32} run), every arithmetic step that makes a value is arithmetic of the type in one fixed
 * order ({@link Float32Net}), and frames carry 4 bytes a value. {@link Parameters}, checkpoints
 * and the model file hold doubles either way: widening a float to a double is exact, so nothing
 * is lost.
 */
public enum Dtype {
  /** IEEE 754 binary64, the book's numpy default. */
  FLOAT64,
  /** IEEE 754 binary32: half the bytes on the wire. */
  FLOAT32;

  /** The name used on the command line and in run settings. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Bytes a value takes in a frame. */
  public int bytes() {
    return this == FLOAT64 ? 8 : 4;
  }

  /**
   * Parses a command-line name.
   *
   * @throws IllegalArgumentException naming the bad value and the accepted ones
   */
  public static Dtype parse(String text) {
    return Activation.parse(values(), Dtype::id, "--dtype", text);
  }

  /**
   * Rounds every value to this type in place: nothing for float64, each to the nearest float for
   * float32.
   *
   * @param values modified
   * @return values
   */
  public double[] round(double[] values) {
    if (this == FLOAT32) {
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) values[i];
      }
    }
    return values;
  }
}
