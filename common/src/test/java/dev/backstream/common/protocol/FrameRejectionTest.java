package dev.backstream.common.protocol;

import static dev.backstream.common.protocol.Frames.cutFields;
import static dev.backstream.common.protocol.Frames.insertBeforeCrc;
import static dev.backstream.common.protocol.Frames.putByte;
import static dev.backstream.common.protocol.Frames.putInt;
import static dev.backstream.common.protocol.Frames.putLong;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FrameRejectionTest {

  /** The reasons the codec itself gives; the others need the run's state. */
  private static final Set<RejectReason> CODEC_REASONS = EnumSet.of(
      RejectReason.TRUNCATED, RejectReason.BAD_MAGIC, RejectReason.BAD_VERSION,
      RejectReason.BAD_KIND, RejectReason.BAD_FLAGS, RejectReason.BAD_CRC, RejectReason.BAD_LENGTH,
      RejectReason.BAD_DTYPE, RejectReason.BAD_VALUE, RejectReason.NON_FINITE,
      RejectReason.BAD_SHARD, RejectReason.BAD_TAG);

  private final Set<RejectReason> seen = EnumSet.noneOf(RejectReason.class);

  @Test
  void eachEnvelopeCheckHasItsReason() {
    rejects(null, RejectReason.TRUNCATED);
    rejects(new byte[10], RejectReason.TRUNCATED);
    rejects(new byte[FrameCodec.MAX_FRAME_BYTES + 1], RejectReason.BAD_LENGTH);
    rejects(putByte(gradient(), 0, 'X'), RejectReason.BAD_MAGIC);
    rejects(putByte(gradient(), 4, FrameCodec.VERSION + 1), RejectReason.BAD_VERSION);
    rejects(putByte(gradient(), 4, 0), RejectReason.BAD_VERSION);
    byte[] badCrc = gradient();
    badCrc[badCrc.length - 1] ^= 1;
    rejects(badCrc, RejectReason.BAD_CRC);
    rejects(putByte(gradient(), 5, 4), RejectReason.BAD_KIND);
    rejects(putByte(gradient(), 5, 0), RejectReason.BAD_KIND);
    rejects(putByte(gradient(), 5, 0xFF), RejectReason.BAD_KIND);
    RunKey key = RunKey.of(new byte[16]);
    Decoded unsigned = FrameCodec.decode(gradient(), key);
    assertThat(unsigned).isInstanceOf(Rejected.class);
    seen.add(((Rejected) unsigned).reason());
    assertThat(((Rejected) unsigned).reason()).isEqualTo(RejectReason.BAD_TAG);
    rejects(putByte(gradient(), 6, 0x80), RejectReason.BAD_FLAGS);
  }

  @Test
  void eachFieldCheckHasItsReason() {
    rejects(cutFields(gradient(), Frames.G_SHARD + 2), RejectReason.TRUNCATED);
    rejects(putByte(gradient(), Frames.G_RUN_LENGTH, 200), RejectReason.BAD_LENGTH);
    rejects(putInt(gradient(), Frames.G_COUNT, -1), RejectReason.BAD_LENGTH);
    rejects(putInt(gradient(), Frames.G_COUNT, 3), RejectReason.BAD_LENGTH);
    rejects(putInt(gradient(), Frames.G_COUNT, Integer.MAX_VALUE), RejectReason.BAD_LENGTH);
    rejects(putInt(gradient(), Frames.G_COUNT, 1), RejectReason.BAD_LENGTH);
    rejects(insertBeforeCrc(gradient(), gradient().length - 4, (byte) 0), RejectReason.BAD_LENGTH);
    rejects(putByte(gradient(), Frames.G_DTYPE, 5), RejectReason.BAD_DTYPE);
    rejects(putLong(gradient(), Frames.G_STEP, -1), RejectReason.BAD_VALUE);
    rejects(putLong(gradient(), Frames.G_GENERATION, Long.MIN_VALUE), RejectReason.BAD_VALUE);
    rejects(putInt(gradient(), Frames.G_SAMPLES, -1), RejectReason.BAD_VALUE);
    rejects(putInt(gradient(), Frames.G_CORRECT, 3), RejectReason.BAD_VALUE);
    rejects(putByte(gradient(), Frames.G_SENDER, 0xC3), RejectReason.BAD_VALUE);
    rejects(putInt(gradient(), Frames.G_SHARD, -1), RejectReason.BAD_SHARD);
    rejects(putInt(gradient(), Frames.G_SHARD_COUNT, 0), RejectReason.BAD_SHARD);
    rejects(putLong(gradient(), Frames.G_LOSS, Double.doubleToRawLongBits(Double.NaN)),
        RejectReason.NON_FINITE);
    rejects(putLong(gradient(), Frames.G_VALUES + 8,
        Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY)), RejectReason.NON_FINITE);
  }

  @Test
  void aStepFrameOfVersion1CarriedNoSpecAndIsRefusedWhereGradientsAndCheckpointsStillRead() {
    rejects(putByte(FrameCodec.encode(Frames.smallStep()), 4, 1), RejectReason.BAD_VERSION);
    assertThat(FrameCodec.decode(putByte(gradient(), 4, 1)))
        .isEqualTo(new Decoded.Gradient(Frames.smallGradient()));
    CheckpointFrame checkpoint = new CheckpointFrame("r", 1, 2, "{}", new double[] {1, 2});
    assertThat(FrameCodec.decode(putByte(FrameCodec.encode(checkpoint, RunKey.NONE), 4, 1)))
        .isEqualTo(new Decoded.Checkpoint(checkpoint));
  }

  @Test
  void aStepWhoseSpecIsNoSpecOrWhoseValuesAreOfAnotherDtypeIsRefused() {
    StepFrame step = Frames.smallStep();
    byte[] json = step.spec().toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    int specAt = Frames.S_SPEC_LENGTH + 2;
    byte[] notASpec = FrameCodec.encode(step);
    notASpec[specAt] = 'x';
    rejects(Frames.withCrc(notASpec), RejectReason.BAD_VALUE);
    byte[] float32Spec = FrameCodec.encode(step);
    String swapped = new String(json, java.nio.charset.StandardCharsets.UTF_8)
        .replace("FLOAT64", "FLOAT32");
    System.arraycopy(swapped.getBytes(java.nio.charset.StandardCharsets.UTF_8), 0, float32Spec,
        specAt, json.length);
    rejects(Frames.withCrc(float32Spec), RejectReason.BAD_DTYPE);
  }

  @Test
  void stepFrameFieldChecks() {
    byte[] step = FrameCodec.encode(Frames.smallStep());
    int shardCount = Frames.S_SPEC_LENGTH + 2 + Frames.smallStep().spec().toJson().length();
    int firstOwner = shardCount + 4;
    int batchCount = firstOwner + 2 + 2 + 2;

    rejects(putInt(step.clone(), shardCount, -5), RejectReason.BAD_LENGTH);
    rejects(putInt(step.clone(), shardCount, 0), RejectReason.BAD_LENGTH);
    rejects(putInt(step.clone(), shardCount, 1_000_000), RejectReason.BAD_LENGTH);
    rejects(putInt(step.clone(), batchCount, 1 << 29), RejectReason.BAD_LENGTH);
    rejects(putInt(step.clone(), batchCount + 4, -1), RejectReason.BAD_VALUE);
    rejects(putByte(step.clone(), firstOwner, 0xFF), RejectReason.BAD_LENGTH);
  }

  @Test
  void everyCodecReasonIsReachable() {
    eachEnvelopeCheckHasItsReason();
    eachFieldCheckHasItsReason();

    assertThat(seen).isEqualTo(CODEC_REASONS);
  }

  @Test
  void flippingAnyByteIsRejectedNeverMisread() {
    for (byte[] frame : new byte[][] {gradient(), FrameCodec.encode(Frames.smallStep())}) {
      for (int i = 0; i < frame.length; i++) {
        for (int mask : new int[] {0x01, 0x80, 0xFF}) {
          byte[] corrupt = frame.clone();
          corrupt[i] ^= (byte) mask;
          RejectReason expected = i < 4 ? RejectReason.BAD_MAGIC
              : i == 4 ? RejectReason.BAD_VERSION
              : RejectReason.BAD_CRC;
          rejects(corrupt, expected);
        }
      }
    }
  }

  @Test
  void everyTruncationAndExtensionIsRejected() {
    byte[] frame = FrameCodec.encode(Frames.smallStep());
    for (int length = 0; length < frame.length; length++) {
      assertThat(FrameCodec.decode(java.util.Arrays.copyOf(frame, length)))
          .isInstanceOf(Rejected.class);
    }
    assertThat(FrameCodec.decode(java.util.Arrays.copyOf(frame, frame.length + 1)))
        .isInstanceOf(Rejected.class);
  }

  @Test
  void randomBytesBehindAValidCrcNeverThrow() {
    Random random = new Random(20_240_601);
    byte[][] seeds = {gradient(), FrameCodec.encode(Frames.smallStep())};
    for (int trial = 0; trial < 20_000; trial++) {
      byte[] frame = seeds[trial % 2].clone();
      int edits = 1 + random.nextInt(4);
      for (int e = 0; e < edits; e++) {
        // Leave magic and version alone so the fuzzing reaches the field parser.
        frame[5 + random.nextInt(frame.length - 9)] = (byte) random.nextInt(256);
      }
      byte[] candidate = Frames.withCrc(frame);
      assertThatCode(() -> FrameCodec.decode(candidate)).doesNotThrowAnyException();
    }
  }

  private void rejects(byte[] bytes, RejectReason reason) {
    Decoded decoded = FrameCodec.decode(bytes);
    assertThat(decoded).isInstanceOf(Rejected.class);
    Rejected rejected = (Rejected) decoded;
    assertThat(rejected.reason()).as(rejected.detail()).isEqualTo(reason);
    assertThat(rejected.detail()).isNotBlank();
    seen.add(reason);
  }

  private static byte[] gradient() {
    return FrameCodec.encode(Frames.smallGradient());
  }
}
