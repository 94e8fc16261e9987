package dev.backstream.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstream.common.data.DatasetName;
import dev.backstream.common.nn.Activation;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

  @Test
  void gradientFrameHasTheDocumentedLayout() {
    byte[] bytes = FrameCodec.encode(Frames.smallGradient());
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);

    assertThat(bytes).hasSize(Frames.G_VALUES + 2 * 8 + 4);
    assertThat(Arrays.copyOf(bytes, 7)).containsExactly('B', 'S', 'T', 'F', FrameCodec.VERSION, 2, 0);
    assertThat(buf.getShort(Frames.G_RUN_LENGTH)).isEqualTo((short) 1);
    assertThat(bytes[Frames.G_RUN_LENGTH + 2]).isEqualTo((byte) 'r');
    assertThat(buf.getLong(Frames.G_GENERATION)).isEqualTo(3);
    assertThat(buf.getLong(Frames.G_STEP)).isEqualTo(7);
    assertThat(buf.getInt(Frames.G_SHARD)).isEqualTo(1);
    assertThat(buf.getInt(Frames.G_SHARD_COUNT)).isEqualTo(1);
    assertThat(bytes[Frames.G_SENDER]).isEqualTo((byte) 'w');
    assertThat(buf.getInt(Frames.G_SAMPLES)).isEqualTo(2);
    assertThat(buf.getDouble(Frames.G_LOSS)).isEqualTo(0.25);
    assertThat(buf.getInt(Frames.G_CORRECT)).isEqualTo(1);
    assertThat(bytes[Frames.G_DTYPE]).isEqualTo((byte) 1);
    assertThat(buf.getInt(Frames.G_COUNT)).isEqualTo(2);
    assertThat(buf.getDouble(Frames.G_VALUES)).isEqualTo(0.5);
    // -2.0 is 0xC000000000000000: its last byte, little-endian, is 0xC0.
    assertThat(bytes[Frames.G_VALUES + 15]).isEqualTo((byte) 0xC0);
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 4);
    assertThat(Integer.toUnsignedLong(buf.getInt(bytes.length - 4))).isEqualTo(crc.getValue());
  }

  @Test
  void stepFrameOfTheBookNetworkRoundTripsBitForBit() {
    Random random = new Random(345);
    double[] params = Frames.randomFinite(random, Frames.BOOK_PARAMS);
    System.arraycopy(Frames.EDGE_VALUES, 0, params, 0, Frames.EDGE_VALUES.length);
    int[] batch = random.ints(100, 0, 60_000).toArray();
    StepFrame frame = new StepFrame("mnist", Long.MAX_VALUE, 123_456, new RunSpec(DatasetName.MNIST, 1, 100, 0.1, 1, Activation.RELU, 0, 3, 0.01), params, batch,
        new String[] {"worker-1", "", "w\u00e9rker-\u5b9f-\ud83d\ude80"});

    byte[] bytes = FrameCodec.encode(frame);
    Decoded decoded = FrameCodec.decode(bytes);

    assertThat(bytes.length).isBetween(318_080, 319_000);
    assertThat(decoded).isInstanceOf(Decoded.Step.class);
    StepFrame back = ((Decoded.Step) decoded).frame();
    assertThat(back).isEqualTo(frame);
    assertThat(rawBits(back.params())).isEqualTo(rawBits(params));
    assertThat(back.shardOwners()).containsExactly("worker-1", "", "w\u00e9rker-\u5b9f-\ud83d\ude80");
  }

  @Test
  void gradientFrameRoundTripsBitForBit() {
    double[] gradient = Frames.randomFinite(new Random(7), Frames.BOOK_PARAMS);
    System.arraycopy(Frames.EDGE_VALUES, 0, gradient, 100, Frames.EDGE_VALUES.length);
    GradientFrame frame = new GradientFrame("run.1", 0, 0, 24, 1, "\u00fc\u4e16\ud83d\ude00", 34,
        -0.0, 34, gradient);

    Decoded decoded = FrameCodec.decode(FrameCodec.encode(frame));

    assertThat(decoded).isInstanceOf(Decoded.Gradient.class);
    GradientFrame back = ((Decoded.Gradient) decoded).frame();
    assertThat(back).isEqualTo(frame);
    assertThat(Double.doubleToRawLongBits(back.lossSum())).isEqualTo(Long.MIN_VALUE);
    assertThat(rawBits(back.gradientSum())).isEqualTo(rawBits(gradient));
  }

  @Test
  void emptyArraysRoundTrip() {
    StepFrame step = new StepFrame("", 0, 0, new RunSpec(DatasetName.MNIST, 1, 100, 0.1, 1, Activation.RELU, 0, 1, 0.01), new double[0], new int[0], new String[] {""});
    GradientFrame gradient = new GradientFrame("", 0, 0, 0, 1, "", 0, 0.0, 0, new double[0]);

    assertThat(FrameCodec.decode(FrameCodec.encode(step))).isEqualTo(new Decoded.Step(step));
    assertThat(FrameCodec.decode(FrameCodec.encode(gradient)))
        .isEqualTo(new Decoded.Gradient(gradient));
  }

  @Test
  void everyEdgeValueRoundTripsAlone() {
    for (double value : Frames.EDGE_VALUES) {
      GradientFrame frame = new GradientFrame("r", 1, 1, 0, 1, "w", 1, value, 0, new double[] {value});
      GradientFrame back = ((Decoded.Gradient) FrameCodec.decode(FrameCodec.encode(frame))).frame();

      assertThat(Double.doubleToRawLongBits(back.gradientSum()[0]))
          .as("bits of %s", value)
          .isEqualTo(Double.doubleToRawLongBits(value));
      assertThat(Double.doubleToRawLongBits(back.lossSum())).isEqualTo(Double.doubleToRawLongBits(value));
    }
  }

  @Test
  void encodingRejectsUnrepresentableStrings() {
    GradientFrame loneSurrogate = new GradientFrame("r", 0, 0, 0, 1, "w\ud800", 0, 0, 0, new double[0]);
    StepFrame longOwner = new StepFrame("r", 0, 0, new RunSpec(DatasetName.MNIST, 1, 100, 0.1, 1, Activation.RELU, 0, 1, 0.01), new double[0], new int[0],
        new String[] {"x".repeat(65_536)});

    assertThatThrownBy(() -> FrameCodec.encode(loneSurrogate))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sender");
    assertThatThrownBy(() -> FrameCodec.encode(longOwner))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shardOwners[0]")
        .hasMessageContaining("65535");
  }

  @Test
  void encodingRejectsFramesOverTheLimit() {
    // not zeros: a gradient's zero blocks are left out of its frame
    double[] ones = new double[FrameCodec.MAX_FRAME_BYTES / 8];
    Arrays.fill(ones, 1.0);
    GradientFrame huge = new GradientFrame("r", 0, 0, 0, 1, "w", 0, 0, 0, ones);

    assertThatThrownBy(() -> FrameCodec.encode(huge))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exceeds the limit");
  }

  @Test
  void nonFiniteValuesEncodeButAreRejectedOnDecode() {
    StepFrame nanParams = new StepFrame("r", 0, 0, new RunSpec(DatasetName.MNIST, 1, 100, 0.1, 1, Activation.RELU, 0, 1, 0.01), new double[] {1, Double.NaN}, new int[0],
        new String[] {"w"});

    Decoded decoded = FrameCodec.decode(FrameCodec.encode(nanParams));

    assertThat(decoded).isInstanceOf(Rejected.class);
    assertThat(((Rejected) decoded).reason()).isEqualTo(RejectReason.NON_FINITE);
    assertThat(((Rejected) decoded).detail()).isEqualTo("params[1] is NaN");
  }

  private static long[] rawBits(double[] values) {
    return Arrays.stream(values).mapToLong(Double::doubleToRawLongBits).toArray();
  }
}
