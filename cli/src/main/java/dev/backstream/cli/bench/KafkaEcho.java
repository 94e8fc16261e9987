package dev.backstream.cli.bench;

import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.protocol.Topics;
import java.time.Duration;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The far side of {@link KafkaPingPong}: re-publishes every record of a run's steps topic on its
 * gradients topic, unchanged, until stopped. It runs on a thread of the measuring JVM or, through
 * the hidden {@code bench echo} command, in a process of its own.
 *
 * <p>Once it listens it publishes one empty record on the gradients topic: the measuring side,
 * positioned at the end of that topic before it started the echo, waits for it and so never sends
 * a frame the echo could miss. Not thread-safe, except {@link #stop()}.
 */
public final class KafkaEcho implements Runnable {
  private final TopicPartition ping;
  private final TopicPartition pong;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaProducer<byte[], byte[]> producer;

  /**
   * Opens the clients; {@link #run()} uses and closes them.
   *
   * @param settings how to reach the broker
   * @param run whose steps topic is echoed to its gradients topic; both must exist
   */
  public KafkaEcho(KafkaSettings settings, String run) {
    Topics topics = Topics.forRun(run);
    this.ping = new TopicPartition(topics.steps(), 0);
    this.pong = new TopicPartition(topics.gradients(), 0);
    this.consumer = new KafkaConsumer<>(settings.consumer("bench-echo", KafkaSettings.OffsetReset.LATEST));
    try {
      this.producer = new KafkaProducer<>(settings.producer("bench-echo"));
    } catch (RuntimeException e) {
      consumer.close(Duration.ZERO);
      throw e;
    }
  }

  /**
   * Says it listens, then echoes until {@link #stop()}; closes the clients before it returns.
   *
   * @throws org.apache.kafka.common.KafkaException if the broker fails it
   */
  @Override
  public void run() {
    try {
      consumer.assign(Set.of(ping));
      consumer.seekToEnd(Set.of(ping));
      // seekToEnd is lazy: position() resolves it now, before the ready record invites frames.
      consumer.position(ping);
      producer.send(new ProducerRecord<>(pong.topic(), 0, null, new byte[0]));
      while (true) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
          producer.send(new ProducerRecord<>(pong.topic(), 0, null, record.value()));
        }
      }
    } catch (WakeupException e) {
      // stop() was called
    } finally {
      consumer.close(Duration.ofSeconds(1));
      producer.close(Duration.ofSeconds(1));
    }
  }

  /** Makes {@link #run()} return soon, or at once if called before it. Thread-safe. */
  public void stop() {
    consumer.wakeup();
  }
}
