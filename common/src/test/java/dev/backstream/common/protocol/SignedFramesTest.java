package dev.backstream.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignedFramesTest {
  private static final RunKey KEY = RunKey.of("0123456789abcdef0123".getBytes(StandardCharsets.UTF_8));
  private static final RunKey OTHER = RunKey.of("fedcba9876543210fedc".getBytes(StandardCharsets.UTF_8));

  @Test
  void signedFramesRoundTripUnderTheirKey() {
    assertThat(FrameCodec.decode(FrameCodec.encode(Frames.smallStep(), KEY), KEY))
        .isEqualTo(new Decoded.Step(Frames.smallStep()));
    assertThat(FrameCodec.decode(FrameCodec.encode(Frames.smallGradient(), KEY), KEY))
        .isEqualTo(new Decoded.Gradient(Frames.smallGradient()));
    assertThat(FrameCodec.decode(FrameCodec.encode(checkpoint(), KEY), KEY))
        .isEqualTo(new Decoded.Checkpoint(checkpoint()));
  }

  @Test
  void aSignedFrameIsTheUnsignedOnePlusFlagAndTag() {
    byte[] plain = FrameCodec.encode(Frames.smallGradient());
    byte[] signed = FrameCodec.encode(Frames.smallGradient(), KEY);

    assertThat(signed).hasSize(plain.length + RunKey.TAG_BYTES);
    assertThat(signed[6]).isEqualTo((byte) 1);
    assertThat(plain[6]).isEqualTo((byte) 0);
  }

  @Test
  void aKeyRejectsUnsignedWronglySignedAndTamperedFrames() {
    assertThat(reason(FrameCodec.encode(Frames.smallGradient()), KEY)).isEqualTo(RejectReason.BAD_TAG);
    assertThat(reason(FrameCodec.encode(Frames.smallGradient(), OTHER), KEY))
        .isEqualTo(RejectReason.BAD_TAG);
    // a forger who changes a value and fixes the CRC still lacks the tag
    byte[] tampered = FrameCodec.encode(Frames.smallGradient(), KEY);
    Frames.putLong(tampered, Frames.G_LOSS, Double.doubleToRawLongBits(0.5));
    assertThat(reason(tampered, KEY)).isEqualTo(RejectReason.BAD_TAG);
    // a flag bit set on an unsigned frame turns its last fields into a "tag", which is wrong
    assertThat(reason(Frames.putByte(FrameCodec.encode(Frames.smallGradient()), 6, 1), KEY))
        .isEqualTo(RejectReason.BAD_TAG);
  }

  @Test
  void withoutAKeyTagsAreSkippedNotChecked() {
    assertThat(FrameCodec.decode(FrameCodec.encode(Frames.smallStep(), OTHER)))
        .isEqualTo(new Decoded.Step(Frames.smallStep()));
  }

  @Test
  void checkpointsRoundTripUnsignedToo() {
    assertThat(FrameCodec.decode(FrameCodec.encode(checkpoint(), RunKey.NONE)))
        .isEqualTo(new Decoded.Checkpoint(checkpoint()));
  }

  @Test
  void checkpointsCarryTheEpochsLossSoFarAndOlderOnesStillRead() {
    CheckpointFrame withSums = new CheckpointFrame("r", 2, 310, "{\"seed\":0}",
        new double[] {0.25}, 23.5, 1000);
    assertThat(FrameCodec.decode(FrameCodec.encode(withSums, RunKey.NONE)))
        .isEqualTo(new Decoded.Checkpoint(withSums));
    // an older build's frame ends after the parameters: it reads, marked as not carrying them
    Decoded old = FrameCodec.decode(FrameCodec.encode(checkpoint(), RunKey.NONE));
    assertThat(((Decoded.Checkpoint) old).frame().epochSamples())
        .isEqualTo(CheckpointFrame.NOT_CARRIED);
  }

  @Test
  void keyFilesLoseTrailingLineBreaksAndMustBeLongEnough(@TempDir Path dir) throws IOException {
    Path hex = dir.resolve("hex.key");
    Files.writeString(hex, "0123456789abcdef0123\n");
    assertThat(FrameCodec.decode(FrameCodec.encode(Frames.smallStep(), RunKey.load(hex)), KEY))
        .isEqualTo(new Decoded.Step(Frames.smallStep()));

    Path shortKey = dir.resolve("short.key");
    Files.writeString(shortKey, "secret\n");
    assertThatThrownBy(() -> RunKey.load(shortKey))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(shortKey.toString())
        .hasMessageContaining("6 bytes")
        .hasMessageContaining("at least 16");
    assertThatThrownBy(() -> RunKey.load(dir.resolve("missing.key")))
        .hasMessageContaining("missing.key")
        .hasMessageContaining("no such file");
  }

  private static CheckpointFrame checkpoint() {
    return new CheckpointFrame("r", 2, 300, "{\"seed\":0}", new double[] {0.25, -0.0, 1e-300});
  }

  private static RejectReason reason(byte[] bytes, RunKey key) {
    Decoded d = FrameCodec.decode(bytes, key);
    assertThat(d).isInstanceOf(Rejected.class);
    return ((Rejected) d).reason();
  }
}
