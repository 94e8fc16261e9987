package dev.backstream.common.kafka;

import dev.backstream.common.protocol.MalformedJsonException;
import dev.backstream.common.protocol.MetricsLine;
import dev.backstream.common.protocol.MetricsRecord;
import dev.backstream.common.protocol.RunEnd;
import dev.backstream.common.protocol.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the run's metrics topic (small JSON lines, no group) on a thread of its own until the
 * run's final epoch line ({@link RunEnd}) arrives: that is how a worker learns that the
 * coordinator has finished, without anything new on the steps topic. Workers and reducers end
 * with the run through it.
 */
public final class RunEndWatch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RunEndWatch.class);
  private static final Duration POLL = Duration.ofMillis(500);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Topics topics;
  private final TopicPartition partition;
  private final RunEnd end = new RunEnd();
  private final CompletableFuture<MetricsRecord> finished = new CompletableFuture<>();
  private final Thread thread;

  private RunEndWatch(KafkaSettings kafka, Topics topics, String clientId) {
    Properties props = kafka.consumer(clientId, KafkaSettings.OffsetReset.EARLIEST);
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    this.consumer = new KafkaConsumer<>(props);
    this.topics = topics;
    this.partition = new TopicPartition(topics.metrics(), 0);
    this.thread = new Thread(this::follow, "backstream-run-end");
    thread.setDaemon(true);
  }

  /**
   * The run's final epoch line if the run has already finished; creates nothing.
   *
   * @throws dev.backstream.common.kafka.KafkaUnreachableException if the broker does not answer
   *     within {@code timeout}
   */
  public static Optional<MetricsRecord> finishedAlready(KafkaSettings kafka, Topics topics,
      Duration timeout) {
    if (!KafkaTopics.exists(kafka, topics.metrics(), timeout)) {
      return Optional.empty();
    }
    try (RunEndWatch watch = new RunEndWatch(kafka, topics, "backstream-worker-run-end")) {
      return watch.readToEnd(timeout);
    } catch (AuthorizationException e) {
      log.warn(cannotRead(topics, e));
      return Optional.empty();
    }
  }

  private static String cannotRead(Topics topics, RuntimeException e) {
    return "cannot read " + topics.metrics() + " (" + e.getMessage() + "): this process will not"
        + " exit by itself when the run is finished; grant its principal Read on that topic";
  }

  /** Starts following the topic, which must exist; {@link #finished()} completes at the end. */
  public static RunEndWatch start(KafkaSettings kafka, Topics topics) {
    RunEndWatch watch = new RunEndWatch(kafka, topics, "backstream-worker-run-end");
    watch.consumer.assign(List.of(watch.partition));
    watch.consumer.seekToBeginning(List.of(watch.partition));
    watch.thread.start();
    return watch;
  }

  /** Completes with the run's final epoch line when the coordinator has published it. */
  public CompletableFuture<MetricsRecord> finished() {
    return finished;
  }

  private Optional<MetricsRecord> readToEnd(Duration timeout) {
    consumer.assign(List.of(partition));
    consumer.seekToBeginning(List.of(partition));
    long last = consumer.endOffsets(List.of(partition), timeout).get(partition);
    while (consumer.position(partition, timeout) < last && end.finished().isEmpty()) {
      consumer.poll(POLL).forEach(this::take);
    }
    return end.finished();
  }

  private void follow() {
    try {
      while (end.finished().isEmpty()) {
        consumer.poll(POLL).forEach(this::take);
      }
      finished.complete(end.finished().get());
    } catch (WakeupException e) {
      // closed
    } catch (AuthorizationException e) {
      log.warn(cannotRead(topics, e));
    } catch (RuntimeException e) {
      log.warn("stopped watching the run's metrics for its end: {}", e.toString());
    }
  }

  private void take(ConsumerRecord<byte[], byte[]> r) {
    if (r.value() == null) {
      return;
    }
    try {
      end.accept(MetricsLine.parse(new String(r.value(), StandardCharsets.UTF_8)));
    } catch (MalformedJsonException e) {
      log.debug("skipped a metrics record at offset {}: {}", r.offset(), e.getMessage());
    }
  }

  @Override
  public void close() {
    if (thread.isAlive()) {
      consumer.wakeup();
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    consumer.close(Duration.ofSeconds(1));
  }
}
