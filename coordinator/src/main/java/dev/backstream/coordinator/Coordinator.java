package dev.backstream.coordinator;

import akka.actor.typed.ActorSystem;
import dev.backstream.common.data.Dataset;
import dev.backstream.common.kafka.KafkaTopics;
import dev.backstream.common.kafka.KafkaUnreachableException;
import dev.backstream.common.nn.NetShape;
import dev.backstream.common.nn.Parameters;
import dev.backstream.common.protocol.Topics;
import dev.backstream.coordinator.internal.CoordinatorKafka;
import dev.backstream.coordinator.internal.CoordinatorSetup;
import dev.backstream.coordinator.internal.Generations;
import dev.backstream.coordinator.internal.StepCoordinator;
import dev.backstream.coordinator.training.TrainingListener;
import dev.backstream.coordinator.training.TrainingSummary;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains one run over Kafka: creates the run's topics, takes a new generation, and drives the step
 * actor until the last step has been evaluated.
 */
public final class Coordinator {
  private static final Logger log = LoggerFactory.getLogger(Coordinator.class);

  private Coordinator() {}

  /**
   * Runs the whole training and returns its summary.
   *
   * @param dataset the coordinator's copy of the data: batch indices range over its training set
   *     and every epoch is scored on it
   * @throws KafkaUnreachableException if the broker does not answer within the connect timeout
   * @throws InterruptedException if the calling thread is interrupted; the run is stopped
   */
  public static TrainingSummary run(
      CoordinatorConfig config, Dataset dataset, TrainingListener listener)
      throws InterruptedException {
    Topics topics = Topics.forRun(config.run());
    KafkaTopics.ensureRunTopics(config.kafka(), topics, config.replicationFactor(), config.connectTimeout());
    long generation = Generations.latest(config.kafka(), topics) + 1;
    NetShape shape = config.settings().shape(dataset.train().features());
    Parameters initial =
        Parameters.initial(shape, config.settings().weightInitStd(), config.settings().seed());
    log.info("coordinating run '{}' as generation {}", config.run(), generation);
    CompletableFuture<TrainingSummary> result = new CompletableFuture<>();
    try (CoordinatorKafka kafka = new CoordinatorKafka(config.kafka(), topics, config.connectTimeout())) {
      CoordinatorSetup setup =
          new CoordinatorSetup(config.run(), generation, config.settings(), dataset, initial, 0L,
              listener, kafka, result, config.memberTimeout(), config.deadlineFloor(),
              config.deadlineFactor(), System::nanoTime);
      ActorSystem<StepCoordinator.Command> system =
          ActorSystem.create(StepCoordinator.create(setup), "backstream-coordinator");
      kafka.start(system);
      try {
        return result.get();
      } catch (InterruptedException e) {
        system.tell(StepCoordinator.Stop.INSTANCE);
        throw e;
      } catch (CancellationException e) {
        throw new InterruptedException("the run was stopped");
      } catch (ExecutionException e) {
        throw new IllegalStateException("the coordinator failed: " + e.getCause(), e.getCause());
      } finally {
        system.terminate();
        awaitTermination(system);
      }
    }
  }

  private static void awaitTermination(ActorSystem<?> system) {
    try {
      system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.debug("actor system did not stop cleanly: {}", e.toString());
    }
  }
}
