package dev.backstream.cli.cluster;

import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.kafka.KafkaUnreachableException;
import dev.backstream.common.protocol.MalformedJsonException;
import dev.backstream.common.protocol.MetricsLine;
import dev.backstream.common.protocol.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * A run's metrics topic, read from its beginning with {@code assign()} (no group): up to the end
 * it had when the reading began, or on and on. Shared by {@code metrics} and {@code report}.
 */
public final class MetricsTopic implements AutoCloseable {

  /** What the reader gets for each record: a line, or why the record is not one. */
  public interface Handler {
    /** A metrics line, at {@code offset}. */
    void line(long offset, MetricsLine line);

    /** A record that is not a metrics line, at {@code offset}; {@code why} is one sentence. */
    void malformed(long offset, String why);

    /** Whether to stop reading (asked after each record): a follower ends with its run. */
    default boolean done() {
      return false;
    }
  }

  private final KafkaSettings kafka;
  private final TopicPartition partition;
  private final Duration timeout;
  private final KafkaConsumer<byte[], byte[]> consumer;

  /**
   * Opens a consumer of {@code topics}' metrics that gives up on the broker after {@code
   * timeout} (the user's {@code --connect-timeout}); it never creates the topic.
   */
  public MetricsTopic(KafkaSettings kafka, Topics topics, String clientId, Duration timeout) {
    this.kafka = kafka;
    this.timeout = timeout;
    this.partition = new TopicPartition(topics.metrics(), 0);
    Properties props = kafka.consumer(clientId, KafkaSettings.OffsetReset.EARLIEST);
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    this.consumer = new KafkaConsumer<>(props);
  }

  /** The topic's name. */
  public String name() {
    return partition.topic();
  }

  /**
   * Whether the topic exists on the broker.
   *
   * @throws KafkaUnreachableException if the broker does not answer within the timeout
   */
  public boolean exists() {
    try {
      return !consumer.partitionsFor(partition.topic(), timeout).isEmpty();
    } catch (TimeoutException e) {
      throw new KafkaUnreachableException(kafka.bootstrapServers(), timeout);
    }
  }

  /**
   * Reads from the first record: to the end the topic has now, or, with {@code follow}, until
   * {@link #wakeup()} (which ends this call with a {@link
   * org.apache.kafka.common.errors.WakeupException}) or an interrupt; either way no further than
   * the record after which the handler says it is {@linkplain Handler#done() done}.
   */
  public void read(boolean follow, Handler handler) {
    consumer.assign(List.of(partition));
    consumer.seekToBeginning(List.of(partition));
    long end;
    try {
      end = consumer.endOffsets(List.of(partition), timeout).get(partition);
    } catch (TimeoutException e) {
      throw new KafkaUnreachableException(kafka.bootstrapServers(), timeout);
    }
    while ((follow || consumer.position(partition) < end) && !handler.done()) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
        String text = r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8);
        try {
          handler.line(r.offset(), MetricsLine.parse(text));
        } catch (MalformedJsonException e) {
          handler.malformed(r.offset(), e.getMessage());
        }
        if (handler.done()) {
          return;
        }
      }
      if (Thread.currentThread().isInterrupted()) {
        return;
      }
    }
  }

  /** Makes a {@link #read} in progress end; callable from any thread. */
  public void wakeup() {
    consumer.wakeup();
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(1));
  }
}
