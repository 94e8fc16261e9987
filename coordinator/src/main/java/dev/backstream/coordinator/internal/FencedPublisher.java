package dev.backstream.coordinator.internal;

import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.kafka.KafkaUnreachableException;
import dev.backstream.common.protocol.CheckpointFrame;
import dev.backstream.common.protocol.FrameCodec;
import dev.backstream.common.protocol.RunKey;
import dev.backstream.common.protocol.StepFrame;
import dev.backstream.common.protocol.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes steps and checkpoints through a transactional producer whose id belongs to the run,
 * so that a new coordinator of the run fences the old one at the broker: once the new one has
 * called {@code initTransactions}, every write of the old one is refused. Two coordinators
 * therefore never both step.
 *
 * <p>Workers read steps uncommitted (they see each at once); a transaction is committed with every
 * checkpoint and at least every few seconds, so that it never reaches the broker's transaction
 * timeout and a restarted coordinator reads committed checkpoints only. Broker outages are ridden
 * out: a commit that times out is retried before the next write. Called by one thread at a time
 * (the step actor); send callbacks report fatal errors through {@code onFatal}.
 */
final class FencedPublisher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FencedPublisher.class);
  private static final long COMMIT_EVERY_NANOS = Duration.ofSeconds(5).toNanos();
  /** The key under which the checkpoints topic keeps one record: compaction leaves the newest. */
  static final byte[] CHECKPOINT_KEY = "checkpoint".getBytes(StandardCharsets.UTF_8);

  private final Topics topics;
  private final RunKey key;
  private final LongSupplier clock;
  private final KafkaProducer<byte[], byte[]> producer;
  private volatile Consumer<RuntimeException> onFatal = e -> { };
  private volatile RuntimeException fatal;
  private boolean open;
  private boolean commitPending;
  private boolean abortPending;
  private long openedNanos;

  /** Opens the producer; nothing is fenced until {@link #claim(Duration)}. */
  public FencedPublisher(KafkaSettings kafka, Topics topics, RunKey key, LongSupplier clock) {
    this.topics = topics;
    this.key = key;
    this.clock = clock;
    Properties p = kafka.producer("backstream-coordinator");
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId(topics.run()));
    // a commit during a broker outage gives up after this and is retried: the actor must not hang
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
    this.producer = new KafkaProducer<>(p);
  }

  /** The transactional id of a run's coordinator: ACLs must let it write (see the README). */
  public static String transactionalId(String run) {
    return "backstream-coordinator-" + run;
  }

  /**
   * Takes the run over: fences every older coordinator of the run and aborts its open transaction.
   *
   * @throws KafkaUnreachableException if the broker does not answer within {@code timeout}
   */
  public void claim(String bootstrap, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        producer.initTransactions();
        return;
      } catch (TimeoutException e) {
        if (System.nanoTime() > deadline) {
          throw new KafkaUnreachableException(bootstrap, timeout);
        }
        log.debug("initTransactions timed out, retrying: {}", e.toString());
      }
    }
  }

  /**
   * Sets what is called, once, when this coordinator is fenced or its producer can no longer
   * write.
   */
  public void onFatal(Consumer<RuntimeException> handler) {
    this.onFatal = handler;
  }

  /** Publishes a step in the open transaction; dropped (and logged) while the broker is away. */
  public void publishStep(StepFrame frame) {
    send(new ProducerRecord<>(topics.steps(), 0, null, FrameCodec.encode(frame, key)));
  }

  /**
   * Writes a checkpoint and commits it, with every step sent since.
   *
   * @return whether it is committed; if not (broker away), a later one will be
   */
  public boolean writeCheckpoint(CheckpointFrame checkpoint) {
    return send(new ProducerRecord<>(topics.checkpoints(), 0, CHECKPOINT_KEY,
        FrameCodec.encode(checkpoint, key))) && commit();
  }

  /** Commits the open transaction if it has been open a while; called on the actor's tick. */
  public void commitIfDue() {
    if (abortPending || commitPending
        || (open && clock.getAsLong() - openedNanos >= COMMIT_EVERY_NANOS)) {
      if (ready()) {
        commit();
      }
    }
  }

  private boolean send(ProducerRecord<byte[], byte[]> record) {
    if (!ready()) {
      return false;
    }
    try {
      if (!open) {
        producer.beginTransaction();
        open = true;
        openedNanos = clock.getAsLong();
      }
      producer.send(record, (meta, e) -> {
        if (e != null) {
          failed("publish to " + record.topic(), e);
        }
      });
      return true;
    } catch (RuntimeException e) {
      // e.g. no metadata while the broker is away: this transaction is lost, the next one is not
      failed("publish to " + record.topic(), e);
      abandon();
      return false;
    }
  }

  /** Finishes a commit or abort that an outage interrupted; true when a write may start. */
  private boolean ready() {
    if (fatal != null) {
      return false;
    }
    if (abortPending && !abort()) {
      return false;
    }
    return !commitPending || commit();
  }

  private boolean commit() {
    if (fatal != null || abortPending) {
      return false;
    }
    if (!open && !commitPending) {
      return true;
    }
    try {
      producer.commitTransaction();
      open = false;
      commitPending = false;
      return true;
    } catch (TimeoutException e) {
      // the broker is away: the same commit is retried before anything else is written
      open = false;
      commitPending = true;
      log.warn("could not commit to Kafka yet, will retry: {}", e.getMessage());
      return false;
    } catch (RuntimeException e) {
      failed("commit", e);
      abandon();
      return false;
    }
  }

  /** Gives up the open transaction: its steps were seen already, its checkpoint comes again. */
  private void abandon() {
    open = false;
    commitPending = false;
    if (fatal == null) {
      abortPending = true;
      abort();
    }
  }

  private boolean abort() {
    try {
      producer.abortTransaction();
      abortPending = false;
      return true;
    } catch (TimeoutException e) {
      log.warn("could not abort a transaction yet, will retry: {}", e.getMessage());
      return false;
    } catch (RuntimeException e) {
      // the producer cannot go on; a restarted coordinator resumes from the last checkpoint
      fatal = e;
      onFatal.accept(e);
      return false;
    }
  }

  private void failed(String what, Exception e) {
    Throwable cause = e instanceof KafkaException && e.getCause() instanceof KafkaException k ? k : e;
    if (isFatal(e) || isFatal(cause)) {
      if (fatal == null) {
        fatal = e instanceof RuntimeException r ? r : new KafkaException(e);
        onFatal.accept(fatal);
      }
    } else {
      log.warn("could not {}: {}", what, e.toString());
    }
  }

  /** Whether {@code e} means that a newer coordinator of the run has taken over. */
  public static boolean isFence(Throwable e) {
    return e instanceof ProducerFencedException || e instanceof InvalidProducerEpochException;
  }

  private static boolean isFatal(Throwable e) {
    return isFence(e) || e instanceof AuthorizationException
        || e instanceof UnsupportedVersionException;
  }

  /** Commits what is open (up to the producer's block time) and closes the producer. */
  @Override
  public void close() {
    if (fatal == null && (open || commitPending) && ready()) {
      commit();
    }
    producer.close(Duration.ofSeconds(5));
  }
}
