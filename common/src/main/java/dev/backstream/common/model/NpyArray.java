package dev.backstream.common.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One numpy array as a {@code .npy} entry holds it: a dtype, a shape and its C-order data bytes.
 * Only the two dtypes a model file needs: little-endian float64 ({@code <f8}) and fixed-width
 * little-endian unicode ({@code <U n}, n UTF-32 code units per element, NUL-padded), which numpy
 * loads with {@code allow_pickle=False}.
 *
 * <p>Immutable: arrays are copied in and out.
 *
 * @param descr numpy's dtype string, {@code <f8} or {@code <U} followed by a width of at least 1
 * @param shape the dimensions, each at least 0; empty for a 0-d (scalar) array
 * @param data the elements in C order, little-endian, exactly {@code count() * itemSize()} bytes
 */
public record NpyArray(String descr, int[] shape, byte[] data) {
  /** numpy's dtype for float64 on a little-endian machine. */
  public static final String FLOAT64 = "<f8";

  private static final Pattern UNICODE = Pattern.compile("<U([1-9][0-9]{0,8})");

  /** Checks the dtype, the shape and that the data fits them; copies both arrays. */
  public NpyArray {
    itemSize(descr);
    long count = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has a negative size");
      }
      count *= d;
    }
    long expected = count * itemSize(descr);
    if (data.length != expected) {
      throw new IllegalArgumentException("holds " + data.length + " bytes of data, but dtype '"
          + descr + "' and shape " + shapeText(shape) + " need " + expected);
    }
    shape = shape.clone();
    data = data.clone();
  }

  /** A float64 array of {@code shape} holding {@code values} in C order. Not modified: both. */
  public static NpyArray ofDoubles(int[] shape, double[] values) {
    ByteBuffer buffer =
        ByteBuffer.allocate(values.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asDoubleBuffer().put(values);
    return new NpyArray(FLOAT64, shape, buffer.array());
  }

  /** A 0-d unicode array holding {@code text}, as {@code numpy.array(text)} makes. */
  public static NpyArray ofString(String text) {
    int[] codePoints = text.codePoints().toArray();
    // numpy has no zero-width unicode dtype: the empty string is one NUL, as numpy stores it.
    int width = Math.max(1, codePoints.length);
    ByteBuffer buffer = ByteBuffer.allocate(width * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int c : codePoints) {
      buffer.putInt(c);
    }
    return new NpyArray("<U" + width, new int[0], buffer.array());
  }

  /** Bytes per element of {@code descr}; throws naming the dtype if it is not supported. */
  static int itemSize(String descr) {
    if (FLOAT64.equals(descr)) {
      return Double.BYTES;
    }
    Matcher m = descr == null ? null : UNICODE.matcher(descr);
    if (m != null && m.matches()) {
      return 4 * Integer.parseInt(m.group(1));
    }
    throw new IllegalArgumentException("dtype '" + descr
        + "' is not supported: must be '<f8' (float64) or '<U' (unicode string)");
  }

  /** True for float64 data. */
  public boolean isFloat64() {
    return FLOAT64.equals(descr);
  }

  /** The number of elements: the product of the shape, 1 for a 0-d array. */
  public long count() {
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  /** A copy of the shape. */
  @Override
  public int[] shape() {
    return shape.clone();
  }

  /** A copy of the data bytes. */
  @Override
  public byte[] data() {
    return data.clone();
  }

  /** The elements of a float64 array in C order, as a new array. */
  public double[] doubles() {
    if (!isFloat64()) {
      throw new IllegalStateException("dtype '" + descr + "' is not float64 ('<f8')");
    }
    double[] values = new double[data.length / Double.BYTES];
    ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(values);
    return values;
  }

  /** The text of a one-element unicode array, without numpy's trailing NUL padding. */
  public String string() {
    if (isFloat64() || count() != 1) {
      throw new IllegalStateException("dtype '" + descr + "' of shape " + shapeText(shape)
          + " is not one string");
    }
    ByteBuffer buffer = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    StringBuilder text = new StringBuilder();
    while (buffer.hasRemaining()) {
      int c = buffer.getInt();
      if (c == 0) {
        break;
      }
      if (!Character.isValidCodePoint(c)) {
        throw new IllegalStateException("holds " + c + ", which is not a Unicode code point");
      }
      text.appendCodePoint(c);
    }
    return text.toString();
  }

  /** The shape as numpy prints it: {@code ()}, {@code (50,)}, {@code (784, 50)}. */
  public static String shapeText(int[] shape) {
    if (shape.length == 1) {
      return "(" + shape[0] + ",)";
    }
    StringBuilder s = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      s.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    return s.append(')').toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NpyArray a && descr.equals(a.descr) && Arrays.equals(shape, a.shape)
        && Arrays.equals(data, a.data);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * descr.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "NpyArray[" + descr + " " + shapeText(shape) + "]";
  }
}
