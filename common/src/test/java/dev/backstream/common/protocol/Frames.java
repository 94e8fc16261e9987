package dev.backstream.common.protocol;

import dev.backstream.common.data.DatasetName;
import dev.backstream.common.nn.Activation;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.zip.CRC32C;

/** Frames and byte surgery shared by the codec tests. */
final class Frames {

  /** The book's network: 784x50 + 50 + 50x10 + 10 parameters. */
  static final int BOOK_PARAMS = 784 * 50 + 50 + 50 * 10 + 10;

  /** Doubles that a careless codec would not round-trip: signed zero, subnormals, extremes. */
  static final double[] EDGE_VALUES = {
    0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, Math.nextDown(Double.MIN_NORMAL),
    Double.MAX_VALUE, -Double.MAX_VALUE, 1.0, -1.0, Math.PI, 1e-300, -1e300, Math.ulp(1.0)
  };

  private Frames() {}

  /** Finite random doubles drawn from random bit patterns: every exponent, not just [0, 1). */
  static double[] randomFinite(Random random, int n) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      double d;
      do {
        d = Double.longBitsToDouble(random.nextLong());
      } while (!Double.isFinite(d));
      out[i] = d;
    }
    return out;
  }

  static StepFrame smallStep() {
    return new StepFrame("r", 3, 7, new RunSpec(DatasetName.MNIST, 1, 100, 0.1, 1, Activation.RELU, 0, 2, 0.01), new double[] {1.5, -0.0}, new int[] {4, 2},
        new String[] {"w1", ""});
  }

  static GradientFrame smallGradient() {
    return new GradientFrame("r", 3, 7, 1, 1, "w", 2, 0.25, 1, new double[] {0.5, -2.0});
  }

  /** Offset of the spec's length in an encoded smallStep(): after run "r", generation, step. */
  static final int S_SPEC_LENGTH = 7 + 2 + 1 + 8 + 8;

  // Offsets in an encoded smallGradient(): run "r" and sender "w" are one byte each.
  static final int G_RUN_LENGTH = 7;
  static final int G_GENERATION = 10;
  static final int G_STEP = 18;
  static final int G_SHARD = 26;
  static final int G_SHARD_COUNT = 30;
  static final int G_SENDER = 36;
  static final int G_SAMPLES = 37;
  static final int G_LOSS = 41;
  static final int G_CORRECT = 49;
  static final int G_DTYPE = 53;
  static final int G_COUNT = 54;
  static final int G_VALUES = 58;

  /** Rewrites the last four bytes so the CRC matches, to reach the checks behind it. */
  static byte[] withCrc(byte[] frame) {
    CRC32C crc = new CRC32C();
    crc.update(frame, 0, frame.length - 4);
    ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).putInt(frame.length - 4, (int) crc.getValue());
    return frame;
  }

  static byte[] putInt(byte[] frame, int offset, int value) {
    ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).putInt(offset, value);
    return withCrc(frame);
  }

  static byte[] putLong(byte[] frame, int offset, long value) {
    ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).putLong(offset, value);
    return withCrc(frame);
  }

  static byte[] putByte(byte[] frame, int offset, int value) {
    frame[offset] = (byte) value;
    return withCrc(frame);
  }

  /** Inserts bytes before the CRC (which is then recomputed). */
  static byte[] insertBeforeCrc(byte[] frame, int offset, byte... extra) {
    byte[] out = new byte[frame.length + extra.length];
    System.arraycopy(frame, 0, out, 0, offset);
    System.arraycopy(extra, 0, out, offset, extra.length);
    System.arraycopy(frame, offset, out, offset + extra.length, frame.length - offset);
    return withCrc(out);
  }

  /** Cuts the fields at {@code length} bytes and appends a matching CRC. */
  static byte[] cutFields(byte[] frame, int length) {
    byte[] out = new byte[length + 4];
    System.arraycopy(frame, 0, out, 0, length);
    return withCrc(out);
  }
}
