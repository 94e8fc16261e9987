package dev.backstream.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstream.cli.broker.EmbeddedKafkaBroker;
import dev.backstream.common.kafka.KafkaSettings;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

/** Checks the benchmark runs and reports consistent numbers; never how fast (that is bench's job). */
class KafkaPingPongTest {

  @Test
  void measuresRoundTripsAndRemovesItsTopics() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults())) {
      KafkaSettings settings = KafkaSettings.of(broker.bootstrapServers());

      KafkaPingPong.Result result = KafkaPingPong.run(settings, 1_000, 2, 5, Duration.ofSeconds(30));

      assertThat(result.iterations()).isEqualTo(5);
      assertThat(result.frameBytes()).isGreaterThan(8_000);
      assertThat(result.medianMillis()).isPositive().isLessThanOrEqualTo(result.p99Millis());
      assertThat(result.p99Millis()).isLessThanOrEqualTo(result.maxMillis());
      assertThat(result.toString()).contains("5 round trips");
      try (Admin admin = Admin.create(settings.admin("check"))) {
        assertThat(admin.listTopics().names().get()).noneMatch(t -> t.contains("bench-pingpong"));
      }
    }
  }

  @Test
  void rejectsEmptyMeasurements() {
    KafkaSettings unused = KafkaSettings.of("127.0.0.1:1", new Properties());

    assertThatThrownBy(() -> KafkaPingPong.run(unused, 10, 0, 0, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("iterations 0");
  }
}
