package dev.backstream.coordinator.internal;

import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.protocol.Decoded;
import dev.backstream.common.protocol.FrameCodec;
import dev.backstream.common.protocol.Topics;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Finds the newest coordinator generation of a run, from the last step it published. */
public final class Generations {
  private Generations() {}

  /** The generation of the last step record, or 0 if the run has none. */
  public static long latest(KafkaSettings kafka, Topics topics) {
    TopicPartition steps = new TopicPartition(topics.steps(), 0);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(kafka.consumer("backstream-generation", KafkaSettings.OffsetReset.LATEST))) {
      consumer.assign(List.of(steps));
      long end = consumer.endOffsets(List.of(steps)).get(steps);
      long begin = consumer.beginningOffsets(List.of(steps)).get(steps);
      if (end <= begin) {
        return 0;
      }
      consumer.seek(steps, end - 1);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.value() != null && FrameCodec.decode(r.value()) instanceof Decoded.Step s) {
            return s.frame().generation();
          }
          return 0;
        }
      }
      return 0;
    }
  }
}
