package dev.backstream.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Gradients with zero blocks travel without them (dtype 2), and come back bit for bit. */
class BlockFramesTest {

  /** A gradient like a shard's: rows of 50 values, some rows exactly zero. */
  private static double[] rowsWithZeros(Random random, int rows, int width, double zeroShare) {
    double[] g = new double[rows * width];
    for (int r = 0; r < rows; r++) {
      if (random.nextDouble() >= zeroShare) {
        for (int c = 0; c < width; c++) {
          g[r * width + c] = random.nextGaussian();
        }
      }
    }
    return g;
  }

  private static GradientFrame frame(double[] gradient) {
    return new GradientFrame("r", 1, 2, 0, 2, "w", 50, 12.5, 40, gradient);
  }

  private static GradientFrame decoded(byte[] bytes) {
    Decoded d = FrameCodec.decode(bytes);
    assertThat(d).isInstanceOf(Decoded.Gradient.class);
    return ((Decoded.Gradient) d).frame();
  }

  private static long[] bits(double[] values) {
    return Arrays.stream(values).mapToLong(Double::doubleToRawLongBits).toArray();
  }

  @Test
  void aGradientWithZeroRowsIsSmallerAndRoundTripsBitForBit() {
    double[] g = rowsWithZeros(new Random(345), 784, 50, 0.4);
    // the last, short block present; a lone -0.0 keeps its block
    g[g.length - 1] = 3.0;
    int lonely = 8 * 1000 + 3;
    Arrays.fill(g, 8 * 1000, 8 * 1001, 0.0);
    g[lonely] = -0.0;

    byte[] bytes = FrameCodec.encode(frame(g));
    GradientFrame back = decoded(bytes);

    assertThat(bytes.length).isLessThan(8 * g.length * 7 / 10);
    assertThat(bits(back.gradientSum())).isEqualTo(bits(g));
    assertThat(Double.doubleToRawLongBits(back.gradientSum()[lonely])).isEqualTo(Long.MIN_VALUE);
    assertThat(back).isEqualTo(frame(g));
  }

  @Test
  void aDenseGradientKeepsTheDenseLayout() {
    double[] g = Frames.randomFinite(new Random(7), 1001);

    byte[] bytes = FrameCodec.encode(frame(g));

    assertThat(bytes[Frames.G_DTYPE]).isEqualTo((byte) 1);
    assertThat(bits(decoded(bytes).gradientSum())).isEqualTo(bits(g));
  }

  @Test
  void anAllZeroGradientIsABitmapOnly() {
    double[] g = new double[39_760];

    byte[] bytes = FrameCodec.encode(frame(g));

    assertThat(bytes[Frames.G_DTYPE]).isEqualTo((byte) 2);
    assertThat(bytes.length).isEqualTo(Frames.G_VALUES + (39_760 / 8 + 7) / 8 + 4);
    assertThat(bits(decoded(bytes).gradientSum())).isEqualTo(bits(g));
  }

  @Test
  void aBlockFrameThatPromisesMoreThanItHoldsIsRejected() {
    double[] g = new double[64];
    g[0] = 1.0;
    byte[] bytes = FrameCodec.encode(frame(g));
    assertThat(bytes[Frames.G_DTYPE]).isEqualTo((byte) 2);

    // mark every block present: 64 values promised, 8 there
    byte[] lying = Frames.putByte(bytes.clone(), Frames.G_VALUES, 0xFF);
    assertThat(FrameCodec.decode(lying)).isInstanceOfSatisfying(Rejected.class,
        r -> assertThat(r.reason()).isEqualTo(RejectReason.BAD_LENGTH));
    // a count whose bitmap does not fit
    byte[] huge = Frames.putInt(bytes.clone(), Frames.G_COUNT, Integer.MAX_VALUE);
    assertThat(FrameCodec.decode(huge)).isInstanceOfSatisfying(Rejected.class,
        r -> assertThat(r.reason()).isEqualTo(RejectReason.BAD_LENGTH));
  }

  @Test
  void aNonFiniteValueInAPresentBlockIsRejected() {
    double[] g = new double[64];
    g[9] = 1.0;
    byte[] bytes = FrameCodec.encode(frame(g));
    // the present block's values start after the one-byte bitmap
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN)
        .putDouble(Frames.G_VALUES + 1 + 8, Double.NaN);

    assertThat(FrameCodec.decode(Frames.withCrc(bytes))).isInstanceOfSatisfying(
        Rejected.class, r -> assertThat(r.reason()).isEqualTo(RejectReason.NON_FINITE));
  }
}
