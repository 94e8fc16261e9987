package dev.backstream.cli.bench;

import dev.backstream.cli.broker.EmbeddedKafkaBroker;
import dev.backstream.common.data.DatasetName;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.kafka.KafkaTopics;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.nn.Dtype;
import dev.backstream.common.protocol.FrameCodec;
import dev.backstream.common.protocol.RunSpec;
import dev.backstream.common.protocol.StepFrame;
import dev.backstream.common.protocol.Topics;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Measures the floor of a synchronous step: the round trip of one step-sized frame over Kafka. The
 * measuring side produces to a run's steps topic; an echo ({@link KafkaEcho}), on a thread of this
 * JVM or in another process, consumes it and produces it back to the gradients topic; the
 * measuring side consumes that. A step pays at least this; it is the baseline of {@code backstream
 * bench step}.
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

  /** Starts the far side of the ping-pong for a run whose topics exist. */
  @FunctionalInterface
  public interface EchoStarter {
    /**
     * Starts a {@link KafkaEcho} (or anything that behaves like one) on {@code run}'s topics.
     *
     * @param run the run whose steps topic is echoed to its gradients topic
     * @return the started echo; closing it stops the echo
     */
    RunningEcho start(String run);
  }

  /** An echo started by an {@link EchoStarter}. */
  public interface RunningEcho extends AutoCloseable {
    /**
     * Lets the measuring side stop waiting for an echo that has died.
     *
     * @throws RuntimeException saying why, if the echo has stopped on its own
     */
    void check();

    /** Stops the echo and waits a little for it to go. */
    @Override
    void close();
  }

  private KafkaPingPong() {}

  /**
   * Starts an embedded broker, measures against an echo thread in this JVM, and stops the broker.
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
   * Measures against a running broker, with the echo on a thread of this JVM.
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
    return run(settings, params, warmup, iterations, timeout, inThisJvm(settings));
  }

  /**
   * Measures against a running broker, with the echo wherever {@code echo} starts it.
   *
   * @param settings how to reach the broker
   * @param params the parameter count of the frame (its size is about 8 bytes each)
   * @param warmup round trips run first and not measured, at least 0
   * @param iterations measured round trips, at least 1
   * @param timeout the longest the echo may take to start listening, and one round trip
   * @param echo starts the far side on the measurement's run; it is stopped before this returns
   * @return the measurement
   * @throws TimeoutException if the echo does not answer within {@code timeout}
   * @throws IllegalArgumentException if a count is out of range
   */
  public static Result run(KafkaSettings settings, int params, int warmup, int iterations,
      Duration timeout, EchoStarter echo) {
    if (warmup < 0 || iterations < 1) {
      throw new IllegalArgumentException("Invalid warm-up " + warmup + " or iterations "
          + iterations + ": need warm-up >= 0 and iterations >= 1");
    }
    Topics topics = Topics.forRun("bench-pingpong-" + Long.toHexString(new Random().nextLong()));
    byte[] frame = FrameCodec.encode(stepFrame(topics.run(), params, Dtype.FLOAT64));
    try (Admin admin = Admin.create(settings.admin("bench-admin"))) {
      KafkaTopics.ensureTopics(admin, topics, TOPIC_TIMEOUT);
      try {
        long[] nanos = measure(settings, topics, frame, warmup, iterations, timeout, echo);
        Arrays.sort(nanos);
        return new Result(frame.length, iterations, millis(nanos[(iterations - 1) / 2]),
            millis(nanos[(int) Math.ceil(0.99 * iterations) - 1]), millis(nanos[iterations - 1]));
      } finally {
        deleteQuietly(admin, topics);
      }
    }
  }

  /**
   * A measurement that ran until warm: round trips until {@code rule} holds (or {@code maxWarmup}
   * passed), then {@code iterations} more; the split is at the first window of the rule.
   *
   * @param frameBytes the size of the frame sent each way, in bytes
   * @param split the warm-up and the steady state (the rule's windows and the iterations after)
   */
  public record WarmResult(int frameBytes, WarmUp.Split split) {}

  /**
   * Measures against a running broker until the round trip has stopped getting faster.
   *
   * @param dtype the number type of the frame's parameters (4 or 8 bytes each)
   * @param rule when the warm-up has ended
   * @param maxWarmup the longest the warm-up may last; then the measurement goes on unsettled
   * @param iterations round trips measured after the warm-up, at least 1
   * @param timeout the longest the echo may take to start listening, and one round trip
   */
  public static WarmResult runUntilWarm(KafkaSettings settings, int params, Dtype dtype,
      WarmUp rule,
      Duration maxWarmup, int iterations, Duration timeout, EchoStarter echo) {
    if (iterations < 1) {
      throw new IllegalArgumentException("Invalid iterations " + iterations + ": need >= 1");
    }
    Topics topics = Topics.forRun("bench-pingpong-" + Long.toHexString(new Random().nextLong()));
    byte[] frame = FrameCodec.encode(stepFrame(topics.run(), params, dtype));
    try (Admin admin = Admin.create(settings.admin("bench-admin"))) {
      KafkaTopics.ensureTopics(admin, topics, TOPIC_TIMEOUT);
      try {
        Series series = new Series();
        measure(settings, topics, frame, timeout, echo, series, (i, started) -> {
          if (series.settledAt < 0 && !series.capped) {
            series.check(rule, started + maxWarmup.toNanos());
            return true;
          }
          return series.count - series.steadyCountedFrom < iterations;
        });
        // capped: what came after the cap is the steady state, though the rule never held
        int cut = series.settledAt >= 0 ? series.settledAt : series.steadyCountedFrom;
        return new WarmResult(frame.length, WarmUp.split(series.starts, series.ends,
            series.millis, series.count, cut, series.settledAt >= 0));
      } finally {
        deleteQuietly(admin, topics);
      }
    }
  }

  /** The round trips of one warm measurement, growing. */
  private static final class Series {
    long[] starts = new long[1024];
    long[] ends = new long[1024];
    double[] millis = new double[1024];
    int count;
    int windowFrom;
    int settledAt = -1;
    boolean capped;
    int steadyCountedFrom;

    void add(long start, long end) {
      if (count == starts.length) {
        starts = Arrays.copyOf(starts, 2 * count);
        ends = Arrays.copyOf(ends, 2 * count);
        millis = Arrays.copyOf(millis, 2 * count);
      }
      starts[count] = start;
      ends[count] = end;
      millis[count] = millis(end - start);
      count++;
    }

    /** Re-applies the rule when a window has closed (the rule cuts the same windows from 0). */
    void check(WarmUp rule, long deadline) {
      int i = count - 1;
      if (i + 1 - windowFrom >= rule.minPerWindow()
          && ends[i] - ends[windowFrom] >= rule.window().toNanos()) {
        windowFrom = i + 1;
        settledAt = rule.settledAt(ends, millis, count);
      }
      if (settledAt < 0 && ends[i] > deadline) {
        capped = true;
      }
      if (settledAt >= 0 || capped) {
        steadyCountedFrom = count;
      }
    }
  }

  /** Whether to send another round trip, given how many were done and when the first started. */
  @FunctionalInterface
  private interface GoOn {
    boolean test(int done, long firstStarted);
  }

  /** Starts each echo on a daemon thread of this JVM. */
  public static EchoStarter inThisJvm(KafkaSettings settings) {
    return run -> {
      KafkaEcho echo = new KafkaEcho(settings, run);
      AtomicReference<RuntimeException> failure = new AtomicReference<>();
      Thread thread = new Thread(() -> {
        try {
          echo.run();
        } catch (RuntimeException e) {
          failure.set(e);
        }
      }, "bench-echo");
      thread.setDaemon(true);
      thread.start();
      return new RunningEcho() {
        @Override
        public void check() {
          if (failure.get() != null) {
            throw failure.get();
          }
        }

        @Override
        public void close() {
          echo.stop();
          joinQuietly(thread);
        }
      };
    };
  }

  private static long[] measure(KafkaSettings settings, Topics topics, byte[] frame, int warmup,
      int iterations, Duration timeout, EchoStarter echoStarter) {
    Series series = new Series();
    measure(settings, topics, frame, timeout, echoStarter, series,
        (done, started) -> done < warmup + iterations);
    long[] nanos = new long[iterations];
    for (int i = 0; i < iterations; i++) {
      nanos[i] = series.ends[warmup + i] - series.starts[warmup + i];
    }
    return nanos;
  }

  private static void measure(KafkaSettings settings, Topics topics, byte[] frame,
      Duration timeout, EchoStarter echoStarter, Series series, GoOn goOn) {
    TopicPartition ping = new TopicPartition(topics.steps(), 0);
    TopicPartition pong = new TopicPartition(topics.gradients(), 0);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings.producer("bench-a"));
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
            settings.consumer("bench-a", KafkaSettings.OffsetReset.LATEST))) {
      // before the echo starts, so that its ready record cannot be missed
      positionAtEnd(consumer, pong);
      try (RunningEcho echo = echoStarter.start(topics.run())) {
        awaitOne(consumer, System.nanoTime() + timeout.toNanos(), echo, "The echo did not start");
        long first = System.nanoTime();
        while (series.count == 0 || goOn.test(series.count, first)) {
          long start = System.nanoTime();
          producer.send(new ProducerRecord<>(ping.topic(), 0, null, frame));
          awaitOne(consumer, start + timeout.toNanos(), echo, "No echo of the frame");
          series.add(start, System.nanoTime());
        }
      }
    }
  }

  private static void positionAtEnd(KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp) {
    consumer.assign(Set.of(tp));
    consumer.seekToEnd(Set.of(tp));
    // seekToEnd is lazy: position() resolves it now, before the other side sends anything.
    consumer.position(tp);
  }

  private static void awaitOne(KafkaConsumer<byte[], byte[]> consumer, long deadline,
      RunningEcho echo, String what) {
    while (consumer.poll(Duration.ofMillis(50)).isEmpty()) {
      echo.check();
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(what + " within the round-trip timeout");
      }
    }
  }

  /** Best effort: a failed delete must not hide the measurement's own exception. */
  static void deleteQuietly(Admin admin, Topics topics) {
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

  private static StepFrame stepFrame(String run, int params, Dtype dtype) {
    Random random = new Random(345);
    RunSpec oneShard = new RunSpec(DatasetName.MNIST, 1, 100, 0.1, 50, Activation.RELU, 0, 1,
        RunSpec.DEFAULT_WEIGHT_INIT_STD).withDtype(dtype);
    return new StepFrame(run, 1, 0, oneShard,
        dtype.round(random.doubles(params, -0.05, 0.05).toArray()),
        random.ints(100, 0, 60_000).toArray(), new String[] {"bench-b"});
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }
}
