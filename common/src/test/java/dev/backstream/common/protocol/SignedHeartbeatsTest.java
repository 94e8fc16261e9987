package dev.backstream.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SignedHeartbeatsTest {
  private static final RunKey KEY = RunKey.of("0123456789abcdef0123".getBytes(StandardCharsets.UTF_8));
  private static final RunKey OTHER = RunKey.of("fedcba9876543210fedc".getBytes(StandardCharsets.UTF_8));
  private static final WorkerHeartbeat HB = new WorkerHeartbeat("mnist-1", "w-1", "höst", 42, 2,
      1_700_000_000_000L, false, Map.of("BAD_CRC", 3L));

  @Test
  void aSignedHeartbeatRoundTripsUnderItsKey() {
    assertThat(WorkerHeartbeat.decode(HB.encode(KEY), KEY)).isEqualTo(HB);
  }

  @Test
  void aSignedHeartbeatIsStillJsonThatAReaderWithoutAKeyReads() {
    String text = new String(HB.encode(KEY), StandardCharsets.UTF_8);

    assertThat(text).startsWith(HB.toJson().substring(0, HB.toJson().length() - 1))
        .containsPattern(",\"tag\":\"[0-9a-f]{64}\"}$");
    assertThat(WorkerHeartbeat.fromJson(text)).isEqualTo(HB);
    assertThat(WorkerHeartbeat.decode(HB.encode(KEY), RunKey.NONE)).isEqualTo(HB);
  }

  @Test
  void withoutAKeyAHeartbeatGoesUnsigned() {
    assertThat(new String(HB.encode(RunKey.NONE), StandardCharsets.UTF_8)).isEqualTo(HB.toJson());
  }

  @Test
  void aKeyRejectsUnsignedWronglySignedAndTamperedHeartbeats() {
    assertThatThrownBy(() -> WorkerHeartbeat.decode(HB.encode(RunKey.NONE), KEY))
        .isInstanceOf(BadTagException.class).hasMessageContaining("no tag");
    assertThatThrownBy(() -> WorkerHeartbeat.decode(HB.encode(OTHER), KEY))
        .isInstanceOf(BadTagException.class).hasMessageContaining("does not match");
    // a forger who turns a heartbeat into a goodbye keeps the tag, which no longer matches
    String tampered = new String(HB.encode(KEY), StandardCharsets.UTF_8)
        .replace("\"leaving\":false", "\"leaving\":true");
    assertThatThrownBy(() -> WorkerHeartbeat.decode(tampered.getBytes(StandardCharsets.UTF_8), KEY))
        .isInstanceOf(BadTagException.class);
    String notHex = new String(HB.encode(KEY), StandardCharsets.UTF_8).replaceAll(
        "\"tag\":\"[0-9a-f]{64}\"", "\"tag\":\"" + "z".repeat(64) + "\"");
    assertThatThrownBy(() -> WorkerHeartbeat.decode(notHex.getBytes(StandardCharsets.UTF_8), KEY))
        .isInstanceOf(BadTagException.class).hasMessageContaining("hex");
    assertThatThrownBy(() -> WorkerHeartbeat.decode(new byte[0], KEY))
        .isInstanceOf(BadTagException.class);
  }

  @Test
  void aTombstoneIsMalformedNotForged() {
    assertThatThrownBy(() -> WorkerHeartbeat.decode(null, KEY))
        .isInstanceOf(MalformedJsonException.class);
  }
}
