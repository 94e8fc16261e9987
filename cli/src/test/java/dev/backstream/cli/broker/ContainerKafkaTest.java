package dev.backstream.cli.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstream.cli.testing.DockerEngine;
import dev.backstream.cli.testing.KafkaBroker;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.kafka.KafkaTopics;
import dev.backstream.common.protocol.Decoded;
import dev.backstream.common.protocol.FrameCodec;
import dev.backstream.common.protocol.StepFrame;
import dev.backstream.common.protocol.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The official {@code apache/kafka} image, as the KafkaBroker extension and docker-compose.yml
 * configure it, carries our run topics and a full-size step frame. Needs a Docker engine: without
 * one it is reported as skipped, with the reason.
 */
class ContainerKafkaTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final int BOOK_PARAMS = 784 * 50 + 50 + 50 * 10 + 10;

  @Test
  void officialImageCarriesAFullSizeStepFrame() throws Exception {
    // In the test, not in @BeforeAll: Surefire counts a class-level skip as zero tests run.
    DockerEngine.assumePresent();
    try (KafkaContainer kafka = KafkaBroker.configured(new KafkaContainer(KafkaBroker.image()))) {
      kafka.start();
      KafkaSettings settings = KafkaSettings.of(kafka.getBootstrapServers());
      Topics topics = Topics.forRun("container");
      assertThat(KafkaTopics.ensureRunTopics(settings, topics, TIMEOUT))
          .containsExactlyElementsOf(topics.all());

      Random random = new Random(345);
      StepFrame frame = new StepFrame(topics.run(), 1, 7,
          random.doubles(BOOK_PARAMS, -0.05, 0.05).toArray(), random.ints(100, 0, 60_000).toArray(),
          4, new String[] {"w1", "w2", "w1", "w2"}, 1, "relu");
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings.producer("tc-p"))) {
        producer.send(new ProducerRecord<>(topics.steps(), FrameCodec.encode(frame))).get();
      }
      assertThat(FrameCodec.decode(receiveOne(settings, topics.steps())))
          .isEqualTo(new Decoded.Step(frame));
    }
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
