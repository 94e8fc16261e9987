package dev.backstream.coordinator;

import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.kafka.KafkaUnreachableException;
import dev.backstream.common.protocol.CheckpointFrame;
import dev.backstream.common.protocol.Decoded;
import dev.backstream.common.protocol.FrameCodec;
import dev.backstream.common.protocol.Rejected;
import dev.backstream.common.protocol.RunKey;
import dev.backstream.common.protocol.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads a run's newest committed checkpoint from its compacted checkpoints topic. */
public final class Checkpoints {
  private static final Logger log = LoggerFactory.getLogger(Checkpoints.class);

  private Checkpoints() {}

  /**
   * The newest valid checkpoint of {@code run}, or empty if it has none. Only committed records
   * are read, so a checkpoint of a coordinator that died mid-transaction is not taken. Records that
   * fail decoding (or, with a key, the tag check) are skipped and logged.
   *
   * @throws KafkaUnreachableException if the broker does not answer within {@code timeout}
   */
  public static Optional<CheckpointFrame> newest(
      KafkaSettings kafka, String run, RunKey key, Duration timeout) {
    TopicPartition tp = new TopicPartition(Topics.forRun(run).checkpoints(), 0);
    Properties p = kafka.consumer("backstream-checkpoints", KafkaSettings.OffsetReset.EARLIEST);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // asking about a run that never was must not create its topic
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
      List<PartitionInfo> partitions = consumer.partitionsFor(tp.topic(), timeout);
      if (partitions == null || partitions.isEmpty()) {
        return Optional.empty();
      }
      consumer.assign(List.of(tp));
      // for a read_committed consumer this is the last stable offset: nothing after it is final
      long end = consumer.endOffsets(List.of(tp), timeout).get(tp);
      consumer.seekToBeginning(List.of(tp));
      // Compaction leaves older checkpoints until it runs: keep the bytes, decode newest first.
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      long deadline = System.nanoTime() + timeout.toNanos();
      while (consumer.position(tp, timeout) < end) {
        if (System.nanoTime() > deadline) {
          throw new KafkaUnreachableException(kafka.bootstrapServers(), timeout);
        }
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      for (int i = records.size() - 1; i >= 0; i--) {
        ConsumerRecord<byte[], byte[]> r = records.get(i);
        Decoded d = FrameCodec.decode(r.value(), key);
        if (d instanceof Decoded.Checkpoint c && c.frame().run().equals(run)) {
          return Optional.of(c.frame());
        }
        if (d instanceof Rejected bad) {
          log.warn("skipped checkpoint record at offset {} ({}): {}", r.offset(), bad.reason(),
              bad.detail());
        } else {
          log.warn("skipped record at offset {} of the checkpoints topic: not a checkpoint of run"
              + " '{}'", r.offset(), run);
        }
      }
      return Optional.empty();
    } catch (TimeoutException e) {
      throw new KafkaUnreachableException(kafka.bootstrapServers(), timeout);
    }
  }
}
