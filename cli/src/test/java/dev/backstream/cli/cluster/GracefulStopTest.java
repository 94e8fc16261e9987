package dev.backstream.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which exceptions a stop by signal turns into its "stopped; ..." line. A coordinator stopped while
 * it starts up was interrupted inside a Kafka client call, whose unchecked InterruptException was
 * reported as "internal error".
 */
class GracefulStopTest {

  @AfterEach
  void clearInterrupt() {
    // Kafka's InterruptException interrupts the thread that creates it
    Thread.interrupted();
  }

  @Test
  void javasAndKafkasInterruptsAreAStopHoweverWrapped() {
    InterruptException kafka = new InterruptException(new InterruptedException());

    assertThat(GracefulStop.isInterrupt(new InterruptedException())).isTrue();
    assertThat(GracefulStop.isInterrupt(kafka)).isTrue();
    assertThat(GracefulStop.isInterrupt(new KafkaException("init", kafka))).isTrue();
    assertThat(GracefulStop.isInterrupt(new IllegalStateException("wrapped",
        new RuntimeException(new InterruptedException())))).isTrue();
  }

  @Test
  void otherFailuresAreNot() {
    assertThat(GracefulStop.isInterrupt(new IllegalStateException("broken"))).isFalse();
    assertThat(GracefulStop.isInterrupt(new KafkaException("refused",
        new IllegalArgumentException("bad")))).isFalse();
  }

  @Test
  void nothingIsAbsorbedWithoutASignal() {
    try (GracefulStop stop = GracefulStop.onSignal("test-stop")) {
      assertThat(stop.absorbs(new InterruptedException())).isFalse();
      assertThat(stop.signalled()).isFalse();
    }
  }
}
