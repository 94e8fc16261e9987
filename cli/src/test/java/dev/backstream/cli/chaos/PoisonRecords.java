package dev.backstream.cli.chaos;

import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.protocol.FrameCodec;
import dev.backstream.common.protocol.GradientFrame;
import dev.backstream.common.protocol.RunKey;
import dev.backstream.common.protocol.StepFrame;
import dev.backstream.common.protocol.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Hostile records sent with a plain Kafka producer, as anyone who can write to the run's topics
 * could: the kinds of scenario 4 (no run key), and the forgeries of scenario 5 (a producer without
 * the run's key).
 */
final class PoisonRecords implements AutoCloseable {
  /** The poison kinds, each sent {@code count} times to the gradients topic. */
  enum Kind { GARBAGE, TRUNCATED, WRONG_LENGTH, NAN, STALE_STEP, DUPLICATE, OTHER_RUN, OLDER_GENERATION }

  /** The sender name of poison gradients. */
  static final String SENDER = "poison";
  /** The sender name of forged gradients. */
  static final String ROGUE = "rogue";

  private final KafkaProducer<byte[], byte[]> producer;
  private final Topics topics;
  private final Random random;
  private long sent;

  PoisonRecords(KafkaSettings kafka, String run, long seed) {
    this.producer = new KafkaProducer<>(kafka.producer("chaos-poison"));
    this.topics = Topics.forRun(run);
    this.random = new Random(seed);
  }

  /**
   * Sends {@code count} gradient records of {@code kind} shaped after the run's newest step and
   * gradient, and a tenth as many step records of the same kind.
   */
  void send(Kind kind, int count, StepFrame step, GradientFrame real, byte[] realGradient,
      byte[] realStep) {
    byte[][] stale = new byte[5][];
    for (int k = 0; k < stale.length; k++) {
      // a real gradient of an earlier step: full length, so only its step gives it away
      stale[k] = FrameCodec.encode(new GradientFrame(real.run(), real.generation(),
          Math.max(0, step.step() - 1 - k), real.firstShard(), real.shardCount(), SENDER,
          real.sampleCount(), real.lossSum(), real.correctCount(), real.gradientSum()));
    }
    for (int i = 0; i < count; i++) {
      byte[] value = kind == Kind.STALE_STEP ? stale[i % stale.length]
          : gradient(kind, step, realGradient);
      producer.send(new ProducerRecord<>(topics.gradients(), 0, null, value));
      if (i % 10 == 0) {
        producer.send(new ProducerRecord<>(topics.steps(), 0, null, step(kind, step, realStep)));
      }
      sent++;
    }
    producer.flush();
  }

  /** Sends {@code count} garbage heartbeats to the members topic. */
  void sendBadHeartbeats(int count) {
    for (int i = 0; i < count; i++) {
      producer.send(new ProducerRecord<>(topics.members(), 0, null,
          ("{\"run\": " + i).getBytes(StandardCharsets.UTF_8)));
    }
    producer.flush();
  }

  /**
   * Forgeries of a producer without the run key: gradients of the current step with plausible
   * values, and steps of a higher generation that would take the workers over, unsigned or signed
   * under a wrong key. {@code count} of each.
   */
  void forge(int count, StepFrame step, RunKey wrongKey) {
    int n = step.paramsView().remaining();
    for (int i = 0; i < count; i++) {
      RunKey key = i % 2 == 0 ? RunKey.NONE : wrongKey;
      int first = random.nextInt(step.spec().shards());
      GradientFrame g = new GradientFrame(step.run(), step.generation(), step.step(), first, 1,
          ROGUE, 1, 0.5, 0, noise(n));
      producer.send(new ProducerRecord<>(topics.gradients(), 0, null, FrameCodec.encode(g, key)));
      StepFrame takeover = new StepFrame(step.run(), step.generation() + 1000, 0, step.spec(), new double[n],
          step.batchIndices(), step.shardOwners());
      producer.send(new ProducerRecord<>(topics.steps(), 0, null, FrameCodec.encode(takeover, key)));
      sent += 2;
    }
    producer.flush();
  }

  long sent() {
    return sent;
  }

  private byte[] gradient(Kind kind, StepFrame s, byte[] real) {
    String run = s.run();
    long gen = s.generation();
    long step = s.step();
    return switch (kind) {
      case GARBAGE -> garbage();
      case TRUNCATED -> Arrays.copyOf(real, 1 + random.nextInt(real.length - 1));
      case WRONG_LENGTH -> FrameCodec.encode(small(run, gen, step, noise(10)));
      case NAN -> FrameCodec.encode(small(run, gen, step, withNaN(noise(10))));
      case STALE_STEP -> throw new IllegalArgumentException("stale gradients are made in send");
      case DUPLICATE -> real;
      case OTHER_RUN -> FrameCodec.encode(small("intruder", gen, step, noise(10)));
      case OLDER_GENERATION -> FrameCodec.encode(small(run, gen - 1, step, noise(10)));
    };
  }

  private byte[] step(Kind kind, StepFrame s, byte[] real) {
    double[] params = noise(10);
    return switch (kind) {
      case GARBAGE -> garbage();
      case TRUNCATED -> Arrays.copyOf(real, 1 + random.nextInt(real.length - 1));
      case WRONG_LENGTH -> FrameCodec.encode(copy(s, s.run(), s.generation(), s.step() + 1_000_000, params));
      case NAN -> FrameCodec.encode(copy(s, s.run(), s.generation(), s.step(), withNaN(params)));
      case STALE_STEP -> FrameCodec.encode(copy(s, s.run(), s.generation(), Math.max(0, s.step() - 1), params));
      case DUPLICATE -> real;
      case OTHER_RUN -> FrameCodec.encode(copy(s, "intruder", s.generation(), s.step(), params));
      case OLDER_GENERATION -> FrameCodec.encode(copy(s, s.run(), s.generation() - 1, s.step(), params));
    };
  }

  private static GradientFrame small(String run, long gen, long step, double[] values) {
    return new GradientFrame(run, gen, step, 0, 1, SENDER, 1, 0.5, 0, values);
  }

  private static StepFrame copy(StepFrame s, String run, long gen, long step, double[] params) {
    return new StepFrame(run, gen, step, s.spec(), params, s.batchIndices(), s.shardOwners());
  }

  private byte[] garbage() {
    byte[] bytes = new byte[16 + random.nextInt(2000)];
    random.nextBytes(bytes);
    return bytes;
  }

  private double[] noise(int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = random.nextGaussian();
    }
    return v;
  }

  private double[] withNaN(double[] v) {
    v[random.nextInt(v.length)] = Double.NaN;
    return v;
  }

  @Override
  public void close() {
    producer.close();
  }
}
