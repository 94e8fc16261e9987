package dev.backstream.common.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code .npy} byte layout (numpy's {@code numpy/lib/format.py}): the magic {@code \x93NUMPY},
 * a version, the header length, a Python dict literal {@code {'descr': '<f8', 'fortran_order':
 * False, 'shape': (784, 50), }} padded with spaces and a newline so that the data starts on a
 * 64-byte boundary, then the data.
 *
 * <p>Writes version 1.0 (numpy's choice for any header under 64 KiB); reads 1.0, 2.0 and 3.0 (they
 * differ only in the header length's width and the header's charset), so that files saved by
 * {@code numpy.savez} load too.
 */
final class NpyFormat {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final int ALIGN = 64;
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private NpyFormat() {}

  /** The {@code .npy} bytes of {@code array}, version 1.0, C order. */
  static byte[] encode(NpyArray array) {
    String dict = "{'descr': '" + array.descr() + "', 'fortran_order': False, 'shape': "
        + NpyArray.shapeText(array.shape()) + ", }";
    int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
    int padding = (ALIGN - unpadded % ALIGN) % ALIGN;
    String header = dict + " ".repeat(padding) + "\n";
    byte[] headerBytes = header.getBytes(StandardCharsets.US_ASCII);
    byte[] data = array.data();
    ByteBuffer out = ByteBuffer.allocate(MAGIC.length + 4 + headerBytes.length + data.length)
        .order(ByteOrder.LITTLE_ENDIAN);
    out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) headerBytes.length);
    return out.put(headerBytes).put(data).array();
  }

  /**
   * Parses {@code .npy} bytes.
   *
   * @throws IllegalArgumentException one line saying what is wrong (no file name: callers add it)
   */
  static NpyArray decode(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (bytes.length < MAGIC.length + 4
        || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
      throw new IllegalArgumentException("not a .npy array (no \\x93NUMPY magic)");
    }
    in.position(MAGIC.length);
    int major = in.get();
    int minor = in.get();
    long headerLength;
    if (major == 1) {
      headerLength = Short.toUnsignedInt(in.getShort());
    } else if ((major == 2 || major == 3) && in.remaining() >= 4) {
      headerLength = Integer.toUnsignedLong(in.getInt());
    } else {
      throw new IllegalArgumentException(
          ".npy version " + major + "." + minor + " is not supported: must be 1.0, 2.0 or 3.0");
    }
    if (headerLength > in.remaining()) {
      throw new IllegalArgumentException("the .npy header is cut short");
    }
    byte[] headerBytes = new byte[(int) headerLength];
    in.get(headerBytes);
    String header = new String(headerBytes,
        major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    if (!"False".equals(find(ORDER, header, "fortran_order"))) {
      throw new IllegalArgumentException("is in Fortran order: must be C order");
    }
    byte[] data = new byte[in.remaining()];
    in.get(data);
    return new NpyArray(find(DESCR, header, "descr"), shape(find(SHAPE, header, "shape")), data);
  }

  private static String find(Pattern pattern, String header, String key) {
    Matcher m = pattern.matcher(header);
    if (!m.find()) {
      throw new IllegalArgumentException("the .npy header has no '" + key + "': " + header.trim());
    }
    return m.group(1);
  }

  private static int[] shape(String text) {
    String[] parts = text.split(",");
    int[] dims = new int[parts.length];
    int n = 0;
    for (String p : parts) {
      if (!p.isBlank()) {
        try {
          dims[n++] = Integer.parseInt(p.trim());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("the .npy shape (" + text + ") is not a tuple of sizes");
        }
      }
    }
    return Arrays.copyOf(dims, n);
  }
}
