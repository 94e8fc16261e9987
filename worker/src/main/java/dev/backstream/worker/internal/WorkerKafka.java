package dev.backstream.worker.internal;

import akka.actor.typed.ActorRef;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.protocol.Decoded;
import dev.backstream.common.protocol.FrameCodec;
import dev.backstream.common.protocol.GradientFrame;
import dev.backstream.common.protocol.RejectReason;
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
 * A worker process's Kafka side: one producer shared by its actors (Kafka's producer is
 * thread-safe), and one consumer, on its own thread, that reads the steps topic with {@code
 * assign()}, decodes off the actors and passes on only the newest step of each poll.
 */
public final class WorkerKafka implements WorkerOutput, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkerKafka.class);

  private final Topics topics;
  private final KafkaProducer<byte[], byte[]> producer;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private Thread poller;
  private volatile boolean running = true;

  /**
   * Opens the clients and positions the consumer at the end of the steps topic: a step published
   * after this returns is seen, so the first heartbeat must come after it.
   */
  public WorkerKafka(KafkaSettings kafka, Topics topics, String workerId, Duration timeout) {
    this.topics = topics;
    KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(kafka.producer("backstream-worker-" + workerId));
    try {
      this.consumer = new KafkaConsumer<>(
          kafka.consumer("backstream-worker-" + workerId, KafkaSettings.OffsetReset.LATEST));
    } catch (RuntimeException e) {
      p.close(Duration.ZERO);
      throw e;
    }
    this.producer = p;
    TopicPartition steps = new TopicPartition(topics.steps(), 0);
    consumer.assign(List.of(steps));
    consumer.seekToEnd(List.of(steps));
    consumer.position(steps, timeout);
  }

  /** Starts the polling thread, which feeds {@code node} until {@link #close()}. */
  public void start(ActorRef<WorkerNode.Command> node) {
    poller = new Thread(() -> poll(node), "backstream-worker-poller");
    poller.setDaemon(true);
    poller.start();
  }

  private void poll(ActorRef<WorkerNode.Command> node) {
    try {
      while (running) {
        WorkerNode.StepArrived newest = null;
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          Decoded d = r.value() == null
              ? new Decoded.Rejected(RejectReason.TRUNCATED, "empty record")
              : FrameCodec.decode(r.value());
          if (d instanceof Decoded.Step s) {
            // a worker that fell behind skips to the newest step rather than computing stale ones
            newest = new WorkerNode.StepArrived(s.frame());
          } else if (d instanceof Decoded.Rejected bad) {
            node.tell(new WorkerNode.FrameRejected(bad.reason(), bad.detail()));
          } else {
            node.tell(new WorkerNode.FrameRejected(RejectReason.BAD_KIND, "a gradient on the steps topic"));
          }
        }
        if (newest != null) {
          node.tell(newest);
        }
      }
    } catch (WakeupException e) {
      // close() asked us to stop
    } catch (RuntimeException e) {
      log.error("the worker's consumer failed: {}", e.toString());
    } finally {
      consumer.close(Duration.ofSeconds(1));
    }
  }

  @Override
  public void publishGradient(GradientFrame frame) {
    send(topics.gradients(), FrameCodec.encode(frame));
  }

  @Override
  public void publishHeartbeat(WorkerHeartbeat heartbeat) {
    send(topics.members(), heartbeat.toJson().getBytes(StandardCharsets.UTF_8));
  }

  private void send(String topic, byte[] value) {
    producer.send(new ProducerRecord<>(topic, 0, null, value), (meta, e) -> {
      if (e != null) {
        log.warn("could not publish to {}: {}", topic, e.toString());
      }
    });
  }

  /** Sends everything queued, then closes. */
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
