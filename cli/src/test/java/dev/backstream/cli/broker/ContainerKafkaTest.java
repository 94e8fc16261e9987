package dev.backstream.cli.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstream.cli.testing.KafkaBroker;
import dev.backstream.common.data.DatasetName;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.kafka.KafkaTopics;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.protocol.Decoded;
import dev.backstream.common.protocol.FrameCodec;
import dev.backstream.common.protocol.RunSpec;
import dev.backstream.common.protocol.StepFrame;
import dev.backstream.common.protocol.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Container;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The Kafka image the KafkaBroker extension runs (ours by default, built by
 * scripts/docker-images.sh; apache/kafka's contract), as the extension and docker-compose.yml
 * configure it, carries our run topics and a full-size step frame, and maps KAFKA_* variables the
 * way the official image does. Needs a Docker engine holding the image: without one it is
 * reported as skipped, with the reason.
 */
class ContainerKafkaTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final int BOOK_PARAMS = 784 * 50 + 50 + 50 * 10 + 10;

  @Test
  void kafkaImageMapsVariablesAsTheOfficialImageDoes() throws Exception {
    assumeContainersRun();
    try (KafkaContainer kafka = KafkaBroker.configured(new KafkaContainer(KafkaBroker.image()))
        .withEnv("KAFKA_LOG_RETENTION_CHECK_INTERVAL_MS", "10000")
        .withEnv("KAFKA_CUSTOM__UNDER___DASH", "x")) {
      kafka.start();
      String properties = kafka.copyFileFromContainer("/opt/kafka/config/server.properties",
          in -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
      assertThat(properties.lines()).contains("log.retention.check.interval.ms=10000",
          "custom_under-dash=x", "auto.create.topics.enable=false",
          "message.max.bytes=" + KafkaSettings.MAX_MESSAGE_BYTES);
      // Testcontainers' own variables became the listeners it connects to
      assertThat(properties.lines()).anyMatch(l -> l.startsWith("advertised.listeners=PLAINTEXT://"));
      assertThat(properties).doesNotContain("heap.opts");

      Container.ExecResult health = kafka.execInContainer(
          "/opt/kafka/bin/kafka-broker-api-versions.sh", "--bootstrap-server", "localhost:9092");
      assertThat(health.getExitCode()).as("health check: %s", health.getStderr()).isZero();
      Container.ExecResult down = kafka.execInContainer(
          "/opt/kafka/bin/kafka-broker-api-versions.sh", "--bootstrap-server", "localhost:1");
      assertThat(down.getExitCode()).as("a port nobody serves is not healthy").isEqualTo(1);
    }
  }

  @Test
  void kafkaImageCarriesAFullSizeStepFrame() throws Exception {
    assumeContainersRun();
    try (KafkaContainer kafka = KafkaBroker.configured(new KafkaContainer(KafkaBroker.image()))) {
      kafka.start();
      KafkaSettings settings = KafkaSettings.of(kafka.getBootstrapServers());
      Topics topics = Topics.forRun("container");
      assertThat(KafkaTopics.ensureRunTopics(settings, topics, TIMEOUT))
          .containsExactlyElementsOf(topics.all());

      Random random = new Random(345);
      StepFrame frame = new StepFrame(topics.run(), 1, 7, new RunSpec(DatasetName.MNIST, 1, 100, 0.1, 1, Activation.RELU, 0, 4, 0.01),
          random.doubles(BOOK_PARAMS, -0.05, 0.05).toArray(), random.ints(100, 0, 60_000).toArray(), new String[] {"w1", "w2", "w1", "w2"});
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings.producer("tc-p"))) {
        producer.send(new ProducerRecord<>(topics.steps(), FrameCodec.encode(frame))).get();
      }
      assertThat(FrameCodec.decode(receiveOne(settings, topics.steps())))
          .isEqualTo(new Decoded.Step(frame));
    }
  }

  /** In the test, not in @BeforeAll: Surefire counts a class-level skip as zero tests run. */
  private static void assumeContainersRun() {
    Optional<String> why = KafkaBroker.containerUnusableReason();
    Assumptions.assumeTrue(why.isEmpty(), () -> why.orElse(""));
  }

  private static byte[] receiveOne(KafkaSettings settings, String topic) {
    TopicPartition partition = new TopicPartition(topic, 0);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(settings.consumer("tc-c", KafkaSettings.OffsetReset.EARLIEST))) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          return r.value();
        }
      }
    }
    throw new AssertionError("no record on " + topic + " within " + TIMEOUT);
  }
}
