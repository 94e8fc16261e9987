package dev.backstream.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstream.common.data.DatasetName;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.nn.Dtype;
import dev.backstream.common.nn.FlatVector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A float32 run's frames carry 4 bytes a value (dtypes 3 and 4) and come back bit for bit. */
class Float32FramesTest {
  /** Floats a careless codec would not round-trip: signed zero, subnormals, extremes. */
  private static final float[] EDGE_FLOATS = {
    0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Math.nextDown(Float.MIN_NORMAL),
    Float.MAX_VALUE, -Float.MAX_VALUE, 1f, -1f, (float) Math.PI, Math.ulp(1f)
  };

  /** Finite random floats from random bit patterns, widened: every exponent. */
  private static double[] randomFloats(Random random, int n) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      float f;
      do {
        f = Float.intBitsToFloat(random.nextInt());
      } while (!Float.isFinite(f));
      out[i] = f;
    }
    for (int i = 0; i < EDGE_FLOATS.length && i < n; i++) {
      out[i] = EDGE_FLOATS[i];
    }
    return out;
  }

  private static long[] bits(double[] values) {
    return Arrays.stream(values).mapToLong(Double::doubleToRawLongBits).toArray();
  }

  private static StepFrame step(double[] params, Dtype dtype) {
    return new StepFrame("mnist", 4, 123, new RunSpec(DatasetName.MNIST, 1, 100, 0.1, 50, Activation.RELU, 0, 4, 0.01, dtype), params, new int[100],
        new String[] {"a", "a", "b", "b"});
  }

  @Test
  void aFloat32StepFrameIsHalfTheBytesAndRoundTripsBitForBit() {
    double[] params = randomFloats(new Random(345), Frames.BOOK_PARAMS);
    byte[] float64 = FrameCodec.encode(step(params, Dtype.FLOAT64));
    byte[] float32 = FrameCodec.encode(step(params, Dtype.FLOAT32));

    assertThat(float64.length - float32.length).isEqualTo(4 * Frames.BOOK_PARAMS);
    assertThat(float32.length).isBetween(159_000, 160_000);
    StepFrame back = ((Decoded.Step) FrameCodec.decode(float32)).frame();
    assertThat(back.spec().dtype()).isEqualTo(Dtype.FLOAT32);
    assertThat(back).isEqualTo(step(params, Dtype.FLOAT32));
    assertThat(bits(back.params())).isEqualTo(bits(params));
    assertThat(((Decoded.Step) FrameCodec.decode(float64)).frame().spec().dtype()).isEqualTo(Dtype.FLOAT64);
  }

  @Test
  void aFloat32GradientLeavesOutItsZeroBlocksAsDtype4() {
    Random random = new Random(7);
    double[] g = new double[800];
    for (int row = 0; row < 16; row++) {
      if (row % 3 != 0) {
        for (int c = 0; c < 50; c++) {
          g[row * 50 + c] = (float) random.nextGaussian();
        }
      }
    }
    g[0] = -0.0; // a -0.0 keeps its block
    GradientFrame frame =
        GradientFrame.handingOver("r", 1, 2, 0, 2, "w", 50, 12.5, 40, float32(g));
    byte[] bytes = FrameCodec.encode(frame);

    int dtypeAt = bytes.length - 4 - (4 * presentValues(g) + (100 + 7) / 8 + 4 + 1);
    assertThat(bytes[dtypeAt]).isEqualTo((byte) 4);
    GradientFrame back = ((Decoded.Gradient) FrameCodec.decode(bytes)).frame();
    assertThat(back).isEqualTo(frame);
    assertThat(bits(back.gradientSum())).isEqualTo(bits(g));
  }

  @Test
  void aDenseFloat32GradientIsDtype3() {
    double[] g = randomFloats(new Random(9), 64);
    GradientFrame frame =
        GradientFrame.handingOver("r", 3, 7, 1, 1, "w", 2, 0.25, 1, float32(g));
    byte[] bytes = FrameCodec.encode(frame);
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);

    assertThat(bytes).hasSize(Frames.G_VALUES + 64 * 4 + 4);
    assertThat(bytes[Frames.G_DTYPE]).isEqualTo((byte) 3);
    assertThat(buf.getInt(Frames.G_COUNT)).isEqualTo(64);
    assertThat(buf.getFloat(Frames.G_VALUES + 4)).isEqualTo((float) g[1]);
    assertThat(((Decoded.Gradient) FrameCodec.decode(bytes)).frame()).isEqualTo(frame);
  }

  @Test
  void aValueThatIsNoFloatIsRefusedRatherThanRounded() {
    double[] params = {0.5, 0.1};
    assertThatThrownBy(() -> step(params, Dtype.FLOAT32))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("value 1 (0.1) is not a float32 value");
  }

  @Test
  void aFrameOfOneDtypeRefusesParametersOfTheOther() {
    RunSpec float32 = new RunSpec(DatasetName.MNIST, 1, 100, 0.1, 50, Activation.RELU, 0, 4,
        0.01, Dtype.FLOAT32);
    assertThatThrownBy(() -> new StepFrame("mnist", 4, 123, float32, FlatVector.float64(0.5),
        new int[100], new String[] {"a", "a", "b", "b"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("float64 parameters in a float32 step frame");
  }

  /** Decoded float32 values are floats, not doubles: the worker's kernel reads them as they came. */
  @Test
  void aDecodedFloat32FrameHoldsFloats() {
    double[] params = randomFloats(new Random(11), 300);
    StepFrame back = ((Decoded.Step) FrameCodec.decode(
        FrameCodec.encode(step(params, Dtype.FLOAT32)))).frame();
    float[] floats = back.paramsShared().floats();
    for (int i = 0; i < params.length; i++) {
      assertThat(Float.floatToRawIntBits(floats[i])).isEqualTo(Float.floatToRawIntBits((float) params[i]));
    }
  }

  @Test
  void anInfiniteFloatIsRejectedAsNonFinite() {
    double[] g = {0.5, 0.25};
    byte[] bytes = FrameCodec.encode(
        GradientFrame.handingOver("r", 3, 7, 1, 1, "w", 2, 0.25, 1, float32(g)));
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN)
        .putFloat(Frames.G_VALUES + 4, Float.POSITIVE_INFINITY);
    Decoded d = FrameCodec.decode(Frames.withCrc(bytes));
    assertThat(d).isInstanceOfSatisfying(Rejected.class,
        r -> assertThat(r.reason()).isEqualTo(RejectReason.NON_FINITE));
  }

  private static FlatVector float32(double[] floatValues) {
    return FlatVector.exactly(Dtype.FLOAT32, floatValues);
  }

  private static int presentValues(double[] g) {
    return FrameCodec.presentValues(g);
  }
}
