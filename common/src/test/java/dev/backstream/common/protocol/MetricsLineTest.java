package dev.backstream.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstream.common.data.DatasetName;
import dev.backstream.common.nn.Activation;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsLineTest {
  private static final LossRecord LOSS =
      new LossRecord("mnist", 101, new double[] {2.3025, 0.71, Double.NaN, 0.0});
  private static final RunRecord RUN = new RunRecord("mnist", "kafka", new RunSpec(DatasetName.MNIST, 10_000, 100, 0.1, 50,
        Activation.RELU, 0, 4, 0.01), 600, 1_750_000_000_000L);
  private static final MetricsRecord EPOCH = new MetricsRecord("mnist", 1, 600, 0.9049, 0.9067,
      0.7186, 432.8, 2, 0, 0, Map.of(), 1.4, 1_750_000_000_123L);

  @Test
  void everyKindRoundTripsWithItsTypeFirst() {
    assertThat(LOSS.toJson()).startsWith("{\"type\":\"loss\",\"run\":\"mnist\",\"firstStep\":101,")
        .contains("\"losses\":[2.3025,0.71,\"NaN\",0.0]");
    assertThat(RUN.toJson()).startsWith("{\"type\":\"run\",");
    assertThat(EPOCH.toJson()).startsWith("{\"type\":\"epoch\",\"run\":\"mnist\",\"epoch\":1,");
    for (MetricsLine line : new MetricsLine[] {LOSS, RUN, EPOCH}) {
      assertThat(MetricsLine.parse(line.toJson())).isEqualTo(line);
      assertThat(line.toJson()).doesNotContain("\n").containsOnlyOnce("\"type\"");
    }
  }

  @Test
  void lossRecordCopiesItsArrayAndKnowsItsLastStep() {
    double[] losses = {1, 2, 3};
    LossRecord r = new LossRecord("r", 8, losses);
    losses[0] = 99;
    r.losses()[1] = 99;

    assertThat(r.losses()).containsExactly(1, 2, 3);
    assertThat(r.lastStep()).isEqualTo(10);
    assertThat(r).isEqualTo(new LossRecord("r", 8, new double[] {1, 2, 3}));
  }

  @Test
  void aLineWithoutTypeIsAnEpochAsBefore() {
    String old = "{\"run\":\"r\",\"epoch\":2,\"step\":1200,\"testAccuracy\":0.92}";

    assertThat(MetricsLine.parse(old)).isInstanceOfSatisfying(MetricsRecord.class,
        m -> assertThat(m.testAccuracy()).isEqualTo(0.92));
    assertThat(MetricsRecord.fromJson(old).step()).isEqualTo(1200);
  }

  @Test
  void epochReadersDoNotMistakeOtherLinesForEpochs() {
    assertThatThrownBy(() -> MetricsRecord.fromJson(LOSS.toJson()))
        .isInstanceOf(MalformedJsonException.class)
        .hasMessage("Malformed MetricsRecord JSON: a loss line, not an epoch line");
  }

  @Test
  void badLinesGiveOneClearException() {
    assertThatThrownBy(() -> MetricsLine.parse("{\"type\":\"gradient\",\"run\":\"r\"}"))
        .isInstanceOf(MalformedJsonException.class)
        .hasMessageContaining("unknown type 'gradient'");
    assertThatThrownBy(() -> MetricsLine.parse("[1]"))
        .isInstanceOf(MalformedJsonException.class).hasMessageContaining("not an object");
    assertThatThrownBy(() -> MetricsLine.parse("{\"type\":\"loss\",\"firstStep\":1}"))
        .isInstanceOf(MalformedJsonException.class).hasMessage("Malformed LossRecord JSON: run");
    assertThatThrownBy(() -> MetricsLine.parse(LOSS.toJson() + " {}"))
        .isInstanceOf(MalformedJsonException.class);
    assertThatThrownBy(() -> MetricsLine.parse(null)).isInstanceOf(MalformedJsonException.class);
  }

  @Test
  void aRunLineOfBuildsBeforeTheSpecReadsAsOne() {
    String older = "{\"type\":\"run\",\"run\":\"r\",\"mode\":\"kafka\",\"dataset\":\"mnist\","
        + "\"steps\":1200,\"batch\":100,\"learningRate\":0.1,\"hidden\":50,"
        + "\"activation\":\"relu\",\"seed\":0,\"shards\":4,\"weightInitStd\":0.01,"
        + "\"stepsPerEpoch\":600,\"timestamp\":1}";
    assertThat(MetricsLine.parse(older)).isEqualTo(new RunRecord("r", "kafka",
        RunSpec.defaults().withSteps(1200), 600, 1));
    assertThat(MetricsLine.parse(Json.writeTyped(RunRecord.TYPE, RUN))).isEqualTo(RUN);
  }
}
