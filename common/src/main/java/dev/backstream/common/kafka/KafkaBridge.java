package dev.backstream.common.kafka;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One producer and one consumer for a process's side of a run: the consumer reads its partitions
 * with {@code assign()} from their end (no group join on the step's path) on a thread of its own
 * and hands each poll's records to a handler; the producer sends without waiting, logging
 * failures. The coordinator and every worker process hold one.
 */
public final class KafkaBridge implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KafkaBridge.class);

  private final KafkaProducer<byte[], byte[]> producer;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private Thread poller;
  private volatile boolean running = true;
  private volatile Set<TopicPartition> wantPaused = Set.of();
  /** What the consumer has paused; the polling thread's own. */
  private Set<TopicPartition> paused = Set.of();

  /**
   * Opens the clients and positions the consumer at the end of {@code partitions}, so that a
   * record produced after this returns is seen.
   *
   * @param timeout how long to wait for the broker while positioning
   */
  public KafkaBridge(KafkaSettings kafka, String clientId, List<TopicPartition> partitions,
      Duration timeout) {
    KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(kafka.producer(clientId));
    KafkaConsumer<byte[], byte[]> c = null;
    try {
      c = new KafkaConsumer<>(kafka.consumer(clientId, KafkaSettings.OffsetReset.LATEST));
      c.assign(partitions);
      c.seekToEnd(partitions);
      for (TopicPartition tp : partitions) {
        c.position(tp, timeout);
      }
    } catch (RuntimeException e) {
      if (c != null) {
        c.close(Duration.ZERO);
      }
      p.close(Duration.ZERO);
      throw e;
    }
    this.producer = p;
    this.consumer = c;
  }

  /** Starts the polling thread; {@code handler} gets every non-empty poll until {@link #close()}. */
  public void start(String threadName, Consumer<ConsumerRecords<byte[], byte[]>> handler) {
    poller = new Thread(() -> poll(handler), threadName);
    poller.setDaemon(true);
    poller.start();
  }

  private void poll(Consumer<ConsumerRecords<byte[], byte[]>> handler) {
    try {
      while (running) {
        try {
          applyPauses();
          ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
          if (!records.isEmpty()) {
            handler.accept(records);
          }
        } catch (WakeupException e) {
          throw e;
        } catch (KafkaException e) {
          // a broker that went away comes back: keep reading rather than leave a deaf process
          log.warn("{} could not read Kafka, retrying in 1 s: {}", Thread.currentThread().getName(),
              e.toString());
          Thread.sleep(1_000);
        }
      }
    } catch (WakeupException e) {
      // close() asked us to stop
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("{} stopped reading Kafka: {}", Thread.currentThread().getName(), e.toString());
    } finally {
      consumer.close(Duration.ofSeconds(1));
    }
  }

  /** Sends {@code value} to partition 0 of {@code topic} without waiting; failures are logged. */
  public void send(String topic, byte[] value) {
    send(topic, 0, value);
  }

  /** Sends {@code value} to {@code partition} of {@code topic} without waiting; failures are logged. */
  public void send(String topic, int partition, byte[] value) {
    try {
      producer.send(new ProducerRecord<>(topic, partition, null, value), (meta, e) -> {
        if (e != null) {
          log.warn("could not publish to {}: {}", topic, e.toString());
        }
      });
    } catch (KafkaException e) {
      log.warn("could not publish to {}: {}", topic, e.toString());
    }
  }

  /**
   * How many partitions {@code topic} has, as this process's producer last heard from the broker
   * (its metadata is refreshed every few minutes, so a topic that grows is seen late); 1 when the
   * broker cannot be asked.
   */
  public int partitionCount(String topic) {
    try {
      return producer.partitionsFor(topic).size();
    } catch (KafkaException e) {
      log.warn("could not learn the partitions of {}: {}", topic, e.toString());
      return 1;
    }
  }

  /**
   * Stops reading {@code paused} of the assigned partitions and reads the others, from the next
   * poll on; a partition read again starts at its end, skipping what came while it was paused.
   * Safe from any thread.
   */
  public void pauseOnly(Set<TopicPartition> paused) {
    wantPaused = Set.copyOf(paused);
  }

  /** Applies {@link #pauseOnly} on the polling thread, which alone may touch the consumer. */
  private void applyPauses() {
    Set<TopicPartition> want = new HashSet<>(wantPaused);
    // only what this consumer reads can be paused
    want.retainAll(consumer.assignment());
    if (want.equals(paused)) {
      return;
    }
    Set<TopicPartition> resume = new HashSet<>(paused);
    resume.removeAll(want);
    Set<TopicPartition> pause = new HashSet<>(want);
    pause.removeAll(paused);
    if (!pause.isEmpty()) {
      consumer.pause(pause);
    }
    if (!resume.isEmpty()) {
      consumer.seekToEnd(resume);
      consumer.resume(resume);
    }
    paused = want;
  }

  /** Stops polling, sends what is queued (up to 5 s), closes both clients. */
  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    if (poller != null) {
      try {
        poller.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } else {
      consumer.close(Duration.ZERO);
    }
    producer.close(Duration.ofSeconds(5));
  }
}
