package dev.backstream.cli.bench;

import dev.backstream.cli.broker.EmbeddedKafkaBroker;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.kafka.KafkaTopics;
import dev.backstream.common.protocol.FrameCodec;
import dev.backstream.common.protocol.StepFrame;
import dev.backstream.common.protocol.Topics;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Measures the floor of a synchronous step: the round trip of one step-sized frame between two
 * threads over Kafka (A produces to the steps topic, B consumes it and produces it back to the
 * gradients topic, A consumes that). A step pays at least this; it is the baseline of
 * {@code backstream bench step}.
 *
 * <p>Uses the client settings and topic configs of a real run, on a fresh run's topics that it
 * deletes afterwards. Blocks the calling thread; not for use inside an actor.
 */
public final class KafkaPingPong {

  /** The book network's parameter count: a step frame of about 318 KB. */
  public static final int BOOK_PARAMS = 784 * 50 + 50 + 50 * 10 + 10;

  private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Round-trip times of one measurement.
   *
   * @param frameBytes the size of the frame sent each way, in bytes
   * @param iterations the measured round trips (warm-up excluded)
   * @param medianMillis the median round trip, in milliseconds
   * @param p99Millis the 99th percentile (nearest rank), in milliseconds
   * @param maxMillis the slowest round trip, in milliseconds
   */
  public record Result(int frameBytes, int iterations, double medianMillis, double p99Millis,
      double maxMillis) {
    @Override
    public String toString() {
      return String.format("%,d B x %d round trips: median %.2f ms, p99 %.2f ms, max %.2f ms",
          frameBytes, iterations, medianMillis, p99Millis, maxMillis);
    }
  }

  private KafkaPingPong() {}

  /**
   * Starts an embedded broker, measures, and stops it.
   *
   * @param warmup round trips run first and not measured, at least 0
   * @param iterations measured round trips, at least 1
   * @param timeout the longest one round trip may take
   * @return the measurement
   */
  public static Result runEmbedded(int warmup, int iterations, Duration timeout) {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults())) {
      return run(KafkaSettings.of(broker.bootstrapServers()), BOOK_PARAMS, warmup, iterations, timeout);
    }
  }

  /**
   * Measures against a running broker.
   *
   * @param settings how to reach the broker
   * @param params the parameter count of the frame (its size is about 8 bytes each)
   * @param warmup round trips run first and not measured, at least 0
   * @param iterations measured round trips, at least 1
   * @param timeout the longest one round trip may take
   * @return the measurement
   * @throws TimeoutException if a round trip takes longer than {@code timeout}
   * @throws IllegalArgumentException if a count is out of range
   */
  public static Result run(KafkaSettings settings, int params, int warmup, int iterations,
      Duration timeout) {
    if (warmup < 0 || iterations < 1) {
      throw new IllegalArgumentException("Invalid warm-up " + warmup + " or iterations "
          + iterations + ": need warm-up >= 0 and iterations >= 1");
    }
    Topics topics = Topics.forRun("bench-pingpong-" + Long.toHexString(new Random().nextLong()));
    byte[] frame = FrameCodec.encode(stepFrame(topics.run(), params));
    try (Admin admin = Admin.create(settings.admin("bench-admin"))) {
      KafkaTopics.ensureTopics(admin, topics, 1, TOPIC_TIMEOUT);
      try {
        long[] nanos = measure(settings, topics, frame, warmup, iterations, timeout);
        Arrays.sort(nanos);
        return new Result(frame.length, iterations, millis(nanos[(iterations - 1) / 2]),
            millis(nanos[(int) Math.ceil(0.99 * iterations) - 1]), millis(nanos[iterations - 1]));
      } finally {
        deleteQuietly(admin, topics);
      }
    }
  }

  private static long[] measure(KafkaSettings settings, Topics topics, byte[] frame, int warmup,
      int iterations, Duration timeout) {
    TopicPartition ping = new TopicPartition(topics.steps(), 0);
    TopicPartition pong = new TopicPartition(topics.gradients(), 0);
    AtomicReference<RuntimeException> echoFailure = new AtomicReference<>();
    CountDownLatch echoReady = new CountDownLatch(1);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings.producer("bench-a"));
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
            settings.consumer("bench-a", KafkaSettings.OffsetReset.LATEST));
        KafkaConsumer<byte[], byte[]> echoConsumer = new KafkaConsumer<>(
            settings.consumer("bench-b", KafkaSettings.OffsetReset.LATEST));
        KafkaProducer<byte[], byte[]> echoProducer =
            new KafkaProducer<>(settings.producer("bench-b"))) {
      Thread echo = new Thread(() -> echo(echoConsumer, echoProducer, ping, pong, echoReady,
          echoFailure), "bench-echo");
      echo.setDaemon(true);
      echo.start();
      positionAtEnd(consumer, pong);
      awaitReady(echoReady, timeout);
      long[] nanos = new long[iterations];
      try {
        for (int i = -warmup; i < iterations; i++) {
          long start = System.nanoTime();
          producer.send(new ProducerRecord<>(ping.topic(), frame));
          awaitOne(consumer, start + timeout.toNanos(), echoFailure);
          if (i >= 0) {
            nanos[i] = System.nanoTime() - start;
          }
        }
      } finally {
        echoConsumer.wakeup();
        joinQuietly(echo);
      }
      return nanos;
    }
  }

  /** Echoes every record of {@code ping} to {@code pong} until woken up. */
  private static void echo(KafkaConsumer<byte[], byte[]> consumer,
      KafkaProducer<byte[], byte[]> producer, TopicPartition ping, TopicPartition pong,
      CountDownLatch ready, AtomicReference<RuntimeException> failure) {
    try {
      positionAtEnd(consumer, ping);
      ready.countDown();
      while (true) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
          producer.send(new ProducerRecord<>(pong.topic(), record.value()));
        }
      }
    } catch (WakeupException e) {
      // Asked to stop.
    } catch (RuntimeException e) {
      failure.set(e);
      ready.countDown();
    }
  }

  private static void positionAtEnd(KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp) {
    consumer.assign(Set.of(tp));
    consumer.seekToEnd(Set.of(tp));
    // seekToEnd is lazy: position() resolves it now, before the other side sends anything.
    consumer.position(tp);
  }

  private static void awaitOne(KafkaConsumer<byte[], byte[]> consumer, long deadline,
      AtomicReference<RuntimeException> echoFailure) {
    while (consumer.poll(Duration.ofMillis(50)).isEmpty()) {
      if (echoFailure.get() != null) {
        throw echoFailure.get();
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("No echo of the frame within the round-trip timeout");
      }
    }
  }

  private static void awaitReady(CountDownLatch ready, Duration timeout) {
    try {
      if (!ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new TimeoutException("The echo thread did not start within " + timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new org.apache.kafka.common.errors.InterruptException(e);
    }
  }

  /** Best effort: a failed delete must not hide the measurement's own exception. */
  private static void deleteQuietly(Admin admin, Topics topics) {
    try {
      admin.deleteTopics(topics.all()).all().get(TOPIC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      // Left behind on a broker that refuses or is gone; retention empties them anyway.
    }
  }

  private static void joinQuietly(Thread thread) {
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static StepFrame stepFrame(String run, int params) {
    Random random = new Random(345);
    return new StepFrame(run, 1, 0, random.doubles(params, -0.05, 0.05).toArray(),
        random.ints(100, 0, 60_000).toArray(), 1, new String[] {"bench-b"}, 50, "relu");
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }
}
