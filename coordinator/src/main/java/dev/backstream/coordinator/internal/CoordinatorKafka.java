package dev.backstream.coordinator.internal;

import akka.actor.typed.ActorRef;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.protocol.Decoded;
import dev.backstream.common.protocol.FrameCodec;
import dev.backstream.common.protocol.MalformedJsonException;
import dev.backstream.common.protocol.MetricsRecord;
import dev.backstream.common.protocol.RejectReason;
import dev.backstream.common.protocol.StepFrame;
import dev.backstream.common.protocol.Topics;
import dev.backstream.common.protocol.WorkerHeartbeat;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's Kafka side: one producer for steps and metrics, and one consumer, on its own
 * thread, that reads gradients and heartbeats with {@code assign()} (no group join on the critical
 * path), decodes them off the actor and tells the actor what arrived.
 */
public final class CoordinatorKafka implements CoordinatorOutput, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CoordinatorKafka.class);

  private final Topics topics;
  private final KafkaProducer<byte[], byte[]> producer;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final TopicPartition gradients;
  private final TopicPartition members;
  private Thread poller;
  private volatile boolean running = true;

  /** Opens the clients and positions the consumer at the end of gradients and heartbeats. */
  public CoordinatorKafka(KafkaSettings kafka, Topics topics) {
    this.topics = topics;
    this.gradients = new TopicPartition(topics.gradients(), 0);
    this.members = new TopicPartition(topics.members(), 0);
    KafkaProducer<byte[], byte[]> p = null;
    try {
      p = new KafkaProducer<>(kafka.producer("backstream-coordinator"));
      this.consumer = new KafkaConsumer<>(
          kafka.consumer("backstream-coordinator", KafkaSettings.OffsetReset.LATEST));
    } catch (RuntimeException e) {
      if (p != null) {
        p.close(Duration.ZERO);
      }
      throw e;
    }
    this.producer = p;
    consumer.assign(List.of(gradients, members));
    consumer.seekToEnd(List.of(gradients, members));
    // resolve the positions now, so nothing produced after this constructor is missed
    consumer.position(gradients);
    consumer.position(members);
  }

  /** Starts the polling thread, which feeds {@code actor} until {@link #close()}. */
  public void start(ActorRef<StepCoordinator.Command> actor) {
    poller = new Thread(() -> poll(actor), "backstream-coordinator-poller");
    poller.setDaemon(true);
    poller.start();
  }

  private void poll(ActorRef<StepCoordinator.Command> actor) {
    try {
      while (running) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          actor.tell(r.topic().equals(gradients.topic()) ? gradient(r.value()) : heartbeat(r.value()));
        }
      }
    } catch (WakeupException e) {
      // close() asked us to stop
    } catch (RuntimeException e) {
      log.error("the coordinator's consumer failed: {}", e.toString());
    } finally {
      consumer.close(Duration.ofSeconds(1));
    }
  }

  private static StepCoordinator.Command gradient(byte[] value) {
    if (value == null) {
      return new StepCoordinator.FrameRejected(RejectReason.TRUNCATED, "empty record");
    }
    Decoded d = FrameCodec.decode(value);
    if (d instanceof Decoded.Gradient g) {
      return new StepCoordinator.GradientArrived(g.frame());
    }
    if (d instanceof Decoded.Rejected r) {
      return new StepCoordinator.FrameRejected(r.reason(), r.detail());
    }
    return new StepCoordinator.FrameRejected(RejectReason.BAD_KIND, "a step frame on the gradients topic");
  }

  private static StepCoordinator.Command heartbeat(byte[] value) {
    try {
      String json = value == null ? "" : new String(value, StandardCharsets.UTF_8);
      return new StepCoordinator.HeartbeatArrived(WorkerHeartbeat.fromJson(json));
    } catch (MalformedJsonException e) {
      return new StepCoordinator.FrameRejected(RejectReason.BAD_VALUE, e.getMessage());
    }
  }

  @Override
  public void publishStep(StepFrame frame) {
    send(topics.steps(), FrameCodec.encode(frame));
  }

  @Override
  public void publishMetrics(MetricsRecord record) {
    send(topics.metrics(), record.toJson().getBytes(StandardCharsets.UTF_8));
  }

  private void send(String topic, byte[] value) {
    producer.send(new ProducerRecord<>(topic, 0, null, value), (meta, e) -> {
      if (e != null) {
        log.warn("could not publish to {}: {}", topic, e.toString());
      }
    });
  }

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
