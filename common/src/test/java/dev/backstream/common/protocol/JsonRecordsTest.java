package dev.backstream.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonRecordsTest {

  private static final MetricsRecord METRICS = new MetricsRecord("mnist", 3, 1800, 0.9512, 0.9487,
      0.1725, 212.5, 3, 2, 5, Map.of("BAD_CRC", 1L, "DUPLICATE", 4L), 8.47, 1_750_000_000_123L);
  private static final WorkerHeartbeat HEARTBEAT =
      new WorkerHeartbeat("mnist", "w-\u00e9-1", "host.local", 4242, 2, 1_750_000_000_000L, true,
          java.util.Map.of("BAD_CRC", 3L));

  @Test
  void metricsRoundTrip() {
    String json = METRICS.toJson();

    assertThat(MetricsRecord.fromJson(json)).isEqualTo(METRICS);
    assertThat(json).startsWith("{\"type\":\"epoch\",\"run\":\"mnist\",\"epoch\":3,")
        .contains("\"rejectedByReason\":{\"BAD_CRC\":1,\"DUPLICATE\":4}")
        .doesNotContain("\n");
  }

  @Test
  void heartbeatRoundTrips() {
    assertThat(WorkerHeartbeat.fromJson(HEARTBEAT.toJson())).isEqualTo(HEARTBEAT);
    assertThat(HEARTBEAT.toJson()).contains("\"leaving\":true");
  }

  @Test
  void nonFiniteMetricsRoundTripAsStrings() {
    MetricsRecord diverged = new MetricsRecord("r", 1, 600, Double.NaN, Double.NaN,
        Double.POSITIVE_INFINITY, 0, 0, 0, 0, Map.of(), 1, 0);

    String json = diverged.toJson();

    assertThat(json).contains("\"loss\":\"Infinity\"").contains("\"trainAccuracy\":\"NaN\"");
    assertThat(MetricsRecord.fromJson(json)).isEqualTo(diverged);
  }

  @Test
  void unknownFieldsAreIgnored() {
    String newer = HEARTBEAT.toJson().replaceFirst("\\{", "{\"optimizer\":{\"name\":\"adam\"},\"beta\":0.9,");

    assertThat(WorkerHeartbeat.fromJson(newer)).isEqualTo(HEARTBEAT);
  }

  @Test
  void missingMapMeansNoRejections() {
    String older = "{\"run\":\"r\",\"epoch\":1,\"step\":600}";

    MetricsRecord read = MetricsRecord.fromJson(older);

    assertThat(read.rejectedByReason()).isEmpty();
    assertThat(read.framesRejected()).isZero();
  }

  @Test
  void rejectedByReasonIsImmutable() {
    assertThatThrownBy(() -> METRICS.rejectedByReason().put("X", 1L))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void malformedJsonGivesOneClearException() {
    assertThatThrownBy(() -> MetricsRecord.fromJson("{\"run\":"))
        .isInstanceOf(MalformedJsonException.class)
        .hasMessageStartingWith("Malformed MetricsRecord JSON: ");
    assertThatThrownBy(() -> MetricsRecord.fromJson(METRICS.toJson() + " {}"))
        .isInstanceOf(MalformedJsonException.class);
    assertThatThrownBy(() -> WorkerHeartbeat.fromJson(null))
        .isInstanceOf(MalformedJsonException.class)
        .hasMessage("Malformed WorkerHeartbeat JSON: no text (null)");
    assertThatThrownBy(() -> WorkerHeartbeat.fromJson("{\"pid\":\"many\"}"))
        .isInstanceOf(MalformedJsonException.class);
    assertThatThrownBy(() -> WorkerHeartbeat.fromJson("[1, 2]"))
        .isInstanceOf(MalformedJsonException.class);
  }

  @Test
  void invalidValuesNameTheField() {
    assertThatThrownBy(() -> WorkerHeartbeat.fromJson("{\"workerId\":\"w\",\"host\":\"h\"}"))
        .isInstanceOf(MalformedJsonException.class)
        .hasMessage("Malformed WorkerHeartbeat JSON: run");
    assertThatThrownBy(() -> WorkerHeartbeat.fromJson(HEARTBEAT.toJson().replace("\"actors\":2",
        "\"actors\":-1")))
        .isInstanceOf(MalformedJsonException.class)
        .hasMessage("Malformed WorkerHeartbeat JSON: Invalid value -1 for actors: must be at least 0");
  }
}
