package dev.backstream.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstream.common.data.DatasetName;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.nn.Dtype;
import dev.backstream.common.nn.FlatVector;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A step frame can carry only the blocks of parameters changed since the step before (dtypes 5
 * and 6); completed against that step's frame it has the same bits as a frame of all of them.
 */
class StepChangesTest {
  private static final int[] BATCH = {3, 1, 4, 1};
  private static final String[] OWNERS = {"a", "a", "b", "b"};

  private static RunSpec spec(Dtype dtype) {
    return new RunSpec(DatasetName.MNIST, 10, 100, 0.1, 50, Activation.RELU, 0, 4, 0.01, dtype);
  }

  /** The book's parameters before and after an update that left a share of W1's rows alone. */
  private static double[][] beforeAndAfter(Random random, double unchangedShare) {
    double[] before = random.doubles(Frames.BOOK_PARAMS, -1, 1).toArray();
    double[] after = before.clone();
    for (int row = 0; row < 784; row++) {
      if (random.nextDouble() >= unchangedShare) {
        for (int c = 0; c < 50; c++) {
          after[row * 50 + c] = random.nextGaussian();
        }
      }
    }
    for (int i = 784 * 50; i < after.length; i++) {
      after[i] = random.nextGaussian();
    }
    return new double[][] {before, after};
  }

  private static StepFrame complete(long step, double[] params) {
    return new StepFrame("r", 2, step, spec(Dtype.FLOAT64), params, BATCH, OWNERS);
  }

  private static StepFrame changes(long step, double[] params, double[] previous) {
    return StepFrame.changedSince("r", 2, step, spec(Dtype.FLOAT64), FlatVector.wrap(params),
        FlatVector.wrap(previous), BATCH, OWNERS);
  }

  private static StepFrame decoded(byte[] bytes) {
    Decoded d = FrameCodec.decode(bytes);
    assertThat(d).isInstanceOf(Decoded.Step.class);
    return ((Decoded.Step) d).frame();
  }

  private static long[] bits(double[] values) {
    return Arrays.stream(values).mapToLong(Double::doubleToRawLongBits).toArray();
  }

  @Test
  void theChangesOfAStepAreShorterAndCompleteToTheSameBits() {
    double[][] p = beforeAndAfter(new Random(11), 0.34);
    byte[] full = FrameCodec.encode(complete(8, p[1]));
    byte[] changed = FrameCodec.encode(changes(8, p[1], p[0]));

    StepFrame previous = decoded(FrameCodec.encode(complete(7, p[0])));
    StepFrame back = decoded(changed);

    assertThat(back.complete()).isFalse();
    assertThat((double) changed.length / full.length).isBetween(0.6, 0.75);
    StepFrame resolved = back.resolvedAgainst(previous).orElseThrow();
    assertThat(resolved.complete()).isTrue();
    assertThat(bits(resolved.params())).isEqualTo(bits(p[1]));
    assertThat(resolved).isEqualTo(complete(8, p[1]));
  }

  @Test
  void aSignedZeroThatReplacesAnUnsignedOneIsAChange() {
    double[] before = new double[Frames.BOOK_PARAMS];
    double[] after = before.clone();
    after[1234] = -0.0;

    StepFrame back = decoded(FrameCodec.encode(changes(1, after, before)));
    double[] resolved =
        back.resolvedAgainst(decoded(FrameCodec.encode(complete(0, before)))).orElseThrow()
            .params();

    assertThat(Double.doubleToRawLongBits(resolved[1234])).isEqualTo(Long.MIN_VALUE);
    assertThat(bits(resolved)).isEqualTo(bits(after));
  }

  @Test
  void unchangedParametersAreABitmapOnly() {
    double[] same = Frames.randomFinite(new Random(5), Frames.BOOK_PARAMS);
    byte[] full = FrameCodec.encode(complete(8, same));
    byte[] changed = FrameCodec.encode(changes(8, same, same));

    assertThat(full.length - changed.length)
        .isEqualTo(8 * Frames.BOOK_PARAMS - (Frames.BOOK_PARAMS / 8 + 7) / 8);
  }

  @Test
  void float32ChangesTravelAsFloats() {
    double[][] p = beforeAndAfter(new Random(12), 0.34);
    FlatVector before = FlatVector.rounded(Dtype.FLOAT32, p[0]);
    FlatVector after = FlatVector.rounded(Dtype.FLOAT32, p[1]);
    StepFrame previous =
        new StepFrame("r", 2, 7, spec(Dtype.FLOAT32), before, BATCH, OWNERS);
    byte[] changed = FrameCodec.encode(StepFrame.changedSince("r", 2, 8, spec(Dtype.FLOAT32),
        after, before, BATCH, OWNERS));

    StepFrame resolved = decoded(changed).resolvedAgainst(previous).orElseThrow();

    assertThat(changed.length).isLessThan(4 * Frames.BOOK_PARAMS * 3 / 4);
    assertThat(resolved.paramsShared()).isEqualTo(after);
    assertThat(resolved.spec().dtype()).isEqualTo(Dtype.FLOAT32);
  }

  @Test
  void changesCompleteOnlyAgainstTheStepBeforeOfTheirRunAndGeneration() {
    double[][] p = beforeAndAfter(new Random(13), 0.34);
    StepFrame changed = decoded(FrameCodec.encode(changes(8, p[1], p[0])));

    assertThat(changed.resolvedAgainst(null)).isEmpty();
    assertThat(changed.resolvedAgainst(complete(6, p[0]))).isEmpty();
    assertThat(changed.resolvedAgainst(complete(8, p[0]))).isEmpty();
    assertThat(changed.resolvedAgainst(
        new StepFrame("other", 2, 7, spec(Dtype.FLOAT64), p[0], BATCH, OWNERS))).isEmpty();
    assertThat(changed.resolvedAgainst(
        new StepFrame("r", 3, 7, spec(Dtype.FLOAT64), p[0], BATCH, OWNERS))).isEmpty();
    // changes do not complete changes
    assertThat(changed.resolvedAgainst(changes(7, p[0], p[1]))).isEmpty();
    // a complete frame needs nothing
    StepFrame full = complete(8, p[1]);
    assertThat(full.resolvedAgainst(null)).containsSame(full);
  }

  @Test
  void stepZeroHasNoStepToChangeFrom() {
    double[] p = new double[Frames.BOOK_PARAMS];

    assertThatThrownBy(() -> changes(0, p, p))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("step 0");
  }

  @Test
  void onlyAStepFrameMayCarryChanges() {
    double[][] p = beforeAndAfter(new Random(14), 0.34);
    byte[] step = FrameCodec.encode(changes(8, p[1], p[0]));
    assertThat(step[indexOfParams(step)]).isEqualTo((byte) FrameCodec.DTYPE_FLOAT64_CHANGES);

    // a gradient of all zeros is dtype 2, the same layout: as dtype 5 it is refused
    byte[] gradient = FrameCodec.encode(new GradientFrame("r", 2, 8, 0, 4, "w", 100, 1.0, 90,
        new double[Frames.BOOK_PARAMS]));
    assertThat(gradient[Frames.G_DTYPE]).isEqualTo((byte) FrameCodec.DTYPE_FLOAT64_BLOCKS);
    Decoded d = FrameCodec.decode(
        Frames.putByte(gradient, Frames.G_DTYPE, FrameCodec.DTYPE_FLOAT64_CHANGES));

    assertThat(d).isInstanceOfSatisfying(Rejected.class,
        r -> assertThat(r.reason()).isEqualTo(RejectReason.BAD_DTYPE));
  }

  /** The offset of the params' dtype byte in an encoded step of {@link #BATCH} and owners. */
  private static int indexOfParams(byte[] step) {
    int specLength = (step[Frames.S_SPEC_LENGTH] & 0xff) | (step[Frames.S_SPEC_LENGTH + 1] & 0xff) << 8;
    int at = Frames.S_SPEC_LENGTH + 2 + specLength + 4;
    for (String owner : OWNERS) {
      at += 2 + owner.length();
    }
    return at + 4 + 4 * BATCH.length;
  }
}
