package dev.backstream.common.nn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

/**
 * The network's parameters as one flat vector with named views (W1, b1, W2, b2; see {@link
 * NetShape}). This is the unit that goes on the wire and into checkpoints; the SHA-256 of its
 * little-endian bytes names a model.
 *
 * <p>Mutable: SGD updates it in place. Not thread-safe.
 */
public final class Parameters {
  private final NetShape shape;
  private final double[] values;

  private Parameters(NetShape shape, double[] values) {
    this.shape = shape;
    this.values = values;
  }

  /** All zeros, the starting point of a gradient sum. */
  public static Parameters zeros(NetShape shape) {
    return new Parameters(shape, new double[shape.parameterCount()]);
  }

  /**
   * The book's initialisation: weights {@code std * N(0, 1)} drawn in order W1 then W2 (row-major)
   * from {@code new java.util.Random(seed)}, whose algorithm the JDK specifies; biases zero.
   */
  public static Parameters initial(NetShape shape, double weightInitStd, long seed) {
    Random random = new Random(seed);
    double[] v = new double[shape.parameterCount()];
    for (int i = shape.w1Offset(); i < shape.b1Offset(); i++) {
      v[i] = weightInitStd * random.nextGaussian();
    }
    for (int i = shape.w2Offset(); i < shape.b2Offset(); i++) {
      v[i] = weightInitStd * random.nextGaussian();
    }
    return new Parameters(shape, v);
  }

  /** Copies {@code values} in; its length must be {@code shape.parameterCount()}. */
  public static Parameters copyOf(NetShape shape, double[] values) {
    checkLength(shape, values.length);
    return new Parameters(shape, values.clone());
  }

  private static void checkLength(NetShape shape, int length) {
    if (length != shape.parameterCount()) {
      throw new IllegalArgumentException(
          "Invalid parameter vector of " + length + " values for a " + shape.input() + "-"
              + shape.hidden() + "-" + shape.output() + " network: must be "
              + shape.parameterCount());
    }
  }

  /**
   * {@code vector} widened to doubles (exact): a float32 run's parameters where a double is
   * needed (evaluation, checkpoints, the model file, the SHA-256).
   *
   * @param vector not modified; its length must be {@code shape.parameterCount()}
   */
  public static Parameters of(NetShape shape, FlatVector vector) {
    checkLength(shape, vector.length());
    return new Parameters(shape, vector.toDoubles());
  }

  /** The network shape these parameters belong to. */
  public NetShape shape() {
    return shape;
  }

  /** The live flat vector (not a copy): layers and SGD read and write it in place. */
  public double[] values() {
    return values;
  }

  /** A deep copy. */
  public Parameters copy() {
    return new Parameters(shape, values.clone());
  }

  /** Sets every value to zero. */
  public void clear() {
    Arrays.fill(values, 0.0);
  }

  /** The values of one named block (W1, b1, W2 or b2), copied out. */
  public double[] block(String name) {
    for (ParamBlock b : shape.blocks()) {
      if (b.name().equals(name)) {
        return Arrays.copyOfRange(values, b.offset(), b.end());
      }
    }
    throw new IllegalArgumentException("Unknown parameter block '" + name + "': W1, b1, W2, b2");
  }

  /** The flat vector as little-endian IEEE 754 doubles. */
  public byte[] toLittleEndianBytes() {
    return littleEndianBytes(values);
  }

  /** Lower-case hex SHA-256 of the little-endian bytes: the model's name. */
  public String sha256() {
    return sha256(values);
  }

  /** Lower-case hex SHA-256 of {@code values} as little-endian IEEE 754 doubles. */
  public static String sha256(double[] values) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(littleEndianBytes(values)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static byte[] littleEndianBytes(double[] values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asDoubleBuffer().put(values);
    return buffer.array();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Parameters p && shape.equals(p.shape) && Arrays.equals(values, p.values);
  }

  @Override
  public int hashCode() {
    return 31 * shape.hashCode() + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "Parameters[" + shape.input() + "-" + shape.hidden() + "-" + shape.output() + ", sha256="
        + sha256().substring(0, 12) + "]";
  }
}
